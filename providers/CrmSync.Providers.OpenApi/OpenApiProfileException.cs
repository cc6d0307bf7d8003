namespace CrmSync.Providers.OpenApi;

/// <summary>A profile does not fit its OpenAPI document (or is not a profile at all). The message names the profile entry.</summary>
public sealed class OpenApiProfileException : Exception
{
    /// <summary>Initializes an exception.</summary>
    public OpenApiProfileException()
        : this("(profile)", "The profile is not valid.")
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    public OpenApiProfileException(string message)
        : this("(profile)", message)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OpenApiProfileException(string message, Exception innerException)
        : this("(profile)", message, innerException)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="entry">The profile entry at fault (for example <c>contact.fields.email</c>).</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OpenApiProfileException(string entry, string problem, Exception? innerException = null)
        : base($"OpenAPI profile entry '{entry}': {problem}", innerException)
    {
        Entry = entry;
        Problems = [new OpenApiProfileProblem(entry, problem)];
    }

    /// <summary>Initializes an exception listing several problems.</summary>
    /// <param name="profile">The profile name.</param>
    /// <param name="problems">The problems.</param>
    public OpenApiProfileException(string profile, IReadOnlyList<OpenApiProfileProblem> problems)
        : base($"The OpenAPI profile '{profile}' does not fit its document:{Environment.NewLine}" + string.Join(Environment.NewLine, (problems ?? []).Select(p => $"- {p.Entry}: {p.Problem}")))
    {
        ArgumentNullException.ThrowIfNull(problems);
        Entry = problems.Count > 0 ? problems[0].Entry : "(profile)";
        Problems = problems;
    }

    /// <summary>Gets the first profile entry at fault.</summary>
    public string Entry { get; }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<OpenApiProfileProblem> Problems { get; }
}

/// <summary>One problem of a profile.</summary>
/// <param name="Entry">The profile entry at fault (for example <c>contact.create.operation</c>).</param>
/// <param name="Problem">What is wrong, in plain language.</param>
public sealed record OpenApiProfileProblem(string Entry, string Problem);
