namespace CrmSync.Sdk;

/// <summary>Input was rejected before anything was saved or sent. <see cref="Errors"/> names every bad entry.</summary>
public sealed class CrmValidationException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="what">What was being validated (for example "Field mapping").</param>
    /// <param name="errors">The errors.</param>
    public CrmValidationException(string what, IReadOnlyList<CrmValidationError> errors)
        : base(BuildMessage(what, errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the errors, each naming its entry.</summary>
    public IReadOnlyList<CrmValidationError> Errors { get; }

    private static string BuildMessage(string what, IReadOnlyList<CrmValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"{what} is invalid: {errors[0].Message}"
            : $"{what} is invalid ({errors.Count} problems): " + string.Join(" ", errors.Select(e => e.Message));
    }
}
