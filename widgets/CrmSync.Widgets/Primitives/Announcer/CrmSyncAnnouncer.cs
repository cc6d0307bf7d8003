namespace CrmSync.Widgets;

/// <summary>
/// The one place widgets announce the outcome of an action ("Sync finished", "Mapping saved"): a <see cref="CrmSyncToastRegion"/>
/// placed once in the host's layout shows each message as a toast inside a single <c>aria-live</c> region, so screen readers hear
/// every result once, whichever widget produced it. Scoped: one per circuit.
/// </summary>
public sealed class CrmSyncAnnouncer
{
    private readonly List<CrmSyncAnnouncement> _items = [];
    private readonly Lock _gate = new();
    private long _nextId;

    /// <summary>Raised after an announcement is added or dismissed.</summary>
    public event Action? Changed;

    /// <summary>Gets or sets how many toasts stay visible; older ones are dropped. Defaults to 4.</summary>
    public int MaxVisible { get; set; } = 4;

    /// <summary>Gets the announcements on screen, oldest first.</summary>
    public IReadOnlyList<CrmSyncAnnouncement> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Announces a message.</summary>
    /// <param name="message">The text, complete on its own ("HubSpot: sync finished, 12 records").</param>
    /// <param name="tone">The tone: success, warning or danger for outcomes; info otherwise.</param>
    /// <returns>The announcement.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> is empty.</exception>
    public CrmSyncAnnouncement Announce(string message, CrmSyncTone tone = CrmSyncTone.Info)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        CrmSyncAnnouncement item;
        lock (_gate)
        {
            item = new CrmSyncAnnouncement(++_nextId, message, tone);
            _items.Add(item);
            while (_items.Count > Math.Max(1, MaxVisible))
            {
                _items.RemoveAt(0);
            }
        }

        Changed?.Invoke();
        return item;
    }

    /// <summary>Removes an announcement from the screen; unknown ids are ignored.</summary>
    /// <param name="id">The announcement's id.</param>
    public void Dismiss(long id)
    {
        bool removed;
        lock (_gate)
        {
            removed = _items.RemoveAll(i => i.Id == id) > 0;
        }

        if (removed)
        {
            Changed?.Invoke();
        }
    }
}
