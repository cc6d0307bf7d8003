namespace CrmSync.Sdk;

/// <summary>
/// One host record to push: a contact, a lead update, an email, a call or a meeting.
/// Accepted into the durable outbox by <see cref="CrmSyncClient.EnqueueAsync(string, CrmChange, CancellationToken)"/>.
/// </summary>
public sealed record CrmChange
{
    /// <summary>Initializes a change.</summary>
    /// <param name="objectType">The kind of record.</param>
    /// <param name="sourceId">The host's stable id for the record. It becomes the CRM record's external id, which is what makes pushes idempotent.</param>
    /// <param name="fields">The host's field values, keyed by host field name (see <see cref="CrmFieldNames"/>).</param>
    public CrmChange(CrmObjectType objectType, string sourceId, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        ArgumentNullException.ThrowIfNull(fields);
        ObjectType = objectType;
        SourceId = sourceId;
        Fields = fields;
    }

    /// <summary>Gets the kind of record.</summary>
    public CrmObjectType ObjectType { get; }

    /// <summary>Gets the host's stable id for the record.</summary>
    public string SourceId { get; }

    /// <summary>Gets the host field values.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; }

    /// <summary>Gets the host id of the contact an activity belongs to. Required for emails, calls and meetings.</summary>
    public string? ContactSourceId { get; init; }

    /// <summary>
    /// Gets the idempotency key. The same key accepted twice for a connection is stored once.
    /// Defaults to <c>{ObjectType}:{SourceId}:{hash of the fields}</c>, so re-sending identical data is a no-op.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the connection to push to. Defaults to every send-enabled connection of the tenant.</summary>
    public Guid? ConnectionId { get; init; }
}
