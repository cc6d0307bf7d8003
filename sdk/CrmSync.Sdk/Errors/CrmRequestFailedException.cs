namespace CrmSync.Sdk;

/// <summary>The CRM answered a request with an error that waiting will not fix (for example a 400 for a whole batch).</summary>
public class CrmRequestFailedException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The message, without secrets.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="status">The HTTP status, when a response arrived.</param>
    /// <param name="problemType">The problem type.</param>
    /// <param name="errorCode">The CRM's own error code.</param>
    /// <param name="innerException">The cause.</param>
    public CrmRequestFailedException(string message, string? provider, int? status, CrmProblemType problemType, string? errorCode = null, Exception? innerException = null)
        : base(message, provider, innerException)
    {
        Status = status;
        ProblemType = problemType;
        ErrorCode = errorCode;
    }

    /// <summary>Gets the HTTP status, when a response arrived.</summary>
    public int? Status { get; }

    /// <summary>Gets the problem type.</summary>
    public CrmProblemType ProblemType { get; }

    /// <summary>Gets the CRM's own error code (for example <c>REQUIRED_FIELD_MISSING</c>).</summary>
    public string? ErrorCode { get; }
}
