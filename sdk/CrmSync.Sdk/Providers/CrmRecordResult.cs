namespace CrmSync.Sdk;

/// <summary>What happened to one record in an upsert call.</summary>
public sealed record CrmRecordResult
{
    /// <summary>Gets the record's external id.</summary>
    public required string ExternalId { get; init; }

    /// <summary>Gets whether the record was written.</summary>
    public bool Succeeded { get; init; }

    /// <summary>Gets the CRM's record id, when written.</summary>
    public string? CrmRecordId { get; init; }

    /// <summary>Gets whether the record was created (rather than updated).</summary>
    public bool Created { get; init; }

    /// <summary>Gets the problem type, when the record failed.</summary>
    public CrmProblemType? ProblemType { get; init; }

    /// <summary>Gets the CRM's error message in plain language, without secrets, when the record failed.</summary>
    public string? Error { get; init; }

    /// <summary>A successful write.</summary>
    /// <param name="externalId">The external id.</param>
    /// <param name="crmRecordId">The CRM id.</param>
    /// <param name="created">Whether the record was created.</param>
    /// <returns>The result.</returns>
    public static CrmRecordResult Success(string externalId, string crmRecordId, bool created) =>
        new() { ExternalId = externalId, Succeeded = true, CrmRecordId = crmRecordId, Created = created };

    /// <summary>A failed write.</summary>
    /// <param name="externalId">The external id.</param>
    /// <param name="problemType">The problem type.</param>
    /// <param name="error">The error message.</param>
    /// <returns>The result.</returns>
    public static CrmRecordResult Failure(string externalId, CrmProblemType problemType, string error) =>
        new() { ExternalId = externalId, Succeeded = false, ProblemType = problemType, Error = error };
}
