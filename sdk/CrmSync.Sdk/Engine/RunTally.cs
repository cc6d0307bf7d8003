using CrmSync.Sdk.Storage;

namespace CrmSync.Sdk;

/// <summary>Counts of one run, overall and per sync-log event type.</summary>
internal sealed class RunTally
{
    public int Synced { get; private set; }

    public int Skipped { get; private set; }

    public int Failed { get; private set; }

    public int Attempted => Synced + Skipped + Failed;

    public string? FirstError { get; private set; }

    public string? LastCrmId { get; private set; }

    public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the outcome and the CRM's answer per outbox item id, when the caller asked for them (the test contact and the workflow step).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<long, (OutboxOutcome Outcome, CrmRecordResult? Answer)>? Items { get; init; }

    private readonly Lock _gate = new();

    public void Add(OutboxOutcome outcome, OutboxOrigin origin)
    {
        // Concurrent batches of one run report here at once.
        lock (_gate)
        {
            AddLocked(outcome, origin);
        }
    }

    private void AddLocked(OutboxOutcome outcome, OutboxOrigin origin)
    {
        var eventType = origin == OutboxOrigin.TestContact ? SyncEventTypes.TestContact : SyncEventTypes.ForObject(outcome.ObjectType, origin == OutboxOrigin.Import);
        if (!Groups.TryGetValue(eventType, out var group))
        {
            group = new Group();
            Groups[eventType] = group;
        }

        switch (outcome.State)
        {
            case OutboxItemState.Synced:
                Synced++;
                group.Synced++;
                group.LastCrmId = outcome.CrmRecordId;
                LastCrmId = outcome.CrmRecordId;
                break;
            case OutboxItemState.Skipped:
                Skipped++;
                group.Skipped++;
                break;
            default:
                Failed++;
                group.Failed++;
                FirstError ??= outcome.Error;
                group.FirstError ??= outcome.Error;
                break;
        }
    }

    internal sealed class Group
    {
        public int Synced { get; set; }

        public int Skipped { get; set; }

        public int Failed { get; set; }

        public string? LastCrmId { get; set; }

        public string? FirstError { get; set; }
    }
}
