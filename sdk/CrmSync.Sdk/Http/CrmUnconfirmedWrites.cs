using System.Collections.Concurrent;

namespace CrmSync.Sdk.Http;

/// <summary>
/// Remembers, per connection, record creations whose outcome the engine may never have stored: a create that succeeded
/// inside a call that then failed as a whole (a later record was throttled), or a create whose response was lost. A
/// provider checks it before creating a record that has no native upsert (Pipedrive persons and activities, activities
/// in general) so that a retry updates the record it already made instead of making a second one.
/// </summary>
/// <remarks>
/// Entries live in memory: one instance per provider, shared by its connections. A provider calls
/// <see cref="Confirm"/> once the engine has the outcome (the call returned), so the journal holds only the few writes of
/// failed calls. At most <see cref="Capacity"/> entries are kept per connection; the oldest go first. Thread-safe.
/// </remarks>
public sealed class CrmUnconfirmedWrites
{
    private readonly ConcurrentDictionary<Guid, Journal> _connections = new();

    /// <summary>Initializes a journal.</summary>
    /// <param name="capacity">The most entries kept per connection. Defaults to 10,000.</param>
    public CrmUnconfirmedWrites(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Gets the most entries kept per connection.</summary>
    public int Capacity { get; }

    /// <summary>Records that a create succeeded and the CRM gave it <paramref name="crmRecordId"/>.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalId">The record's external id.</param>
    /// <param name="crmRecordId">The CRM's id.</param>
    public void RecordCreated(Guid connectionId, CrmObjectType objectType, string externalId, string crmRecordId)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        ArgumentException.ThrowIfNullOrEmpty(crmRecordId);
        Set(connectionId, objectType, externalId, new CrmUnconfirmedWrite(crmRecordId));
    }

    /// <summary>Records that a create was sent but its outcome is unknown (no response, a timeout or a 5xx): it may exist.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalId">The record's external id.</param>
    public void RecordUncertain(Guid connectionId, CrmObjectType objectType, string externalId)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        var journal = _connections.GetOrAdd(connectionId, _ => new Journal());
        lock (journal)
        {
            // A known id beats "maybe": keep it.
            if (!journal.Entries.ContainsKey((objectType, externalId)))
            {
                SetLocked(journal, objectType, externalId, new CrmUnconfirmedWrite(null));
            }
        }
    }

    /// <summary>Looks up what is known about an earlier create of a record.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalId">The record's external id.</param>
    /// <returns>The entry, or <see langword="null"/> when no earlier create is pending confirmation.</returns>
    public CrmUnconfirmedWrite? Find(Guid connectionId, CrmObjectType objectType, string externalId)
    {
        if (!_connections.TryGetValue(connectionId, out var journal))
        {
            return null;
        }

        lock (journal)
        {
            return journal.Entries.GetValueOrDefault((objectType, externalId));
        }
    }

    /// <summary>Forgets a record once the engine has its outcome.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalId">The record's external id.</param>
    public void Confirm(Guid connectionId, CrmObjectType objectType, string externalId)
    {
        if (_connections.TryGetValue(connectionId, out var journal))
        {
            lock (journal)
            {
                journal.Entries.Remove((objectType, externalId));
            }
        }
    }

    /// <summary>Gets how many entries a connection holds.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <returns>The count.</returns>
    public int Count(Guid connectionId)
    {
        if (!_connections.TryGetValue(connectionId, out var journal))
        {
            return 0;
        }

        lock (journal)
        {
            return journal.Entries.Count;
        }
    }

    private void Set(Guid connectionId, CrmObjectType objectType, string externalId, CrmUnconfirmedWrite entry)
    {
        var journal = _connections.GetOrAdd(connectionId, _ => new Journal());
        lock (journal)
        {
            SetLocked(journal, objectType, externalId, entry);
        }
    }

    private void SetLocked(Journal journal, CrmObjectType objectType, string externalId, CrmUnconfirmedWrite entry)
    {
        var key = (objectType, externalId);
        if (!journal.Entries.ContainsKey(key))
        {
            journal.Order.Enqueue(key);
        }

        journal.Entries[key] = entry;
        while (journal.Entries.Count > Capacity && journal.Order.TryDequeue(out var oldest))
        {
            journal.Entries.Remove(oldest);
        }

        // Keys confirmed meanwhile leave stale entries in the queue; drop them when it grows too long.
        if (journal.Order.Count > Capacity * 2)
        {
            var live = journal.Order.Where(journal.Entries.ContainsKey).Distinct().ToList();
            journal.Order.Clear();
            foreach (var k in live)
            {
                journal.Order.Enqueue(k);
            }
        }
    }

    private sealed class Journal
    {
        public Dictionary<(CrmObjectType, string), CrmUnconfirmedWrite> Entries { get; } = [];

        public Queue<(CrmObjectType, string)> Order { get; } = new();
    }
}

/// <summary>What is known about a create the engine may not have stored.</summary>
/// <param name="CrmRecordId">The CRM's id when the create is known to have succeeded; <see langword="null"/> when its outcome is unknown.</param>
public sealed record CrmUnconfirmedWrite(string? CrmRecordId)
{
    /// <summary>Gets whether the record may or may not exist (the create's response never arrived).</summary>
    public bool IsUncertain => CrmRecordId is null;
}
