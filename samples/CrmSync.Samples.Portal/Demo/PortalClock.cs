namespace CrmSync.Samples.Portal.Demo;

/// <summary>
/// The portal's clock: the system clock, or, when <see cref="PortalOptions.FrozenClock"/> is set (screenshot tests, docs
/// screenshots), a clock that stands still at that instant so relative times ("5 minutes ago") and seeded data never move.
/// The gallery seeder steps a frozen clock through the past while it seeds, then puts it back.
/// </summary>
public sealed class PortalClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _frozenAt;

    /// <summary>Initializes the clock.</summary>
    /// <param name="frozenAt">The instant it stands still at, or <see langword="null"/> for the system clock.</param>
    public PortalClock(DateTimeOffset? frozenAt)
    {
        _frozenAt = frozenAt;
        FrozenAt = frozenAt;
    }

    /// <summary>Gets the instant the clock was frozen at, or <see langword="null"/>.</summary>
    public DateTimeOffset? FrozenAt { get; private set; }

    /// <summary>Gets whether the clock stands still.</summary>
    public bool IsFrozen
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt is not null;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozenAt ?? base.GetUtcNow();
        }
    }

    /// <summary>Moves a frozen clock to <paramref name="at"/>; does nothing to a running clock.</summary>
    /// <param name="at">The new instant.</param>
    public void Set(DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_frozenAt is not null)
            {
                _frozenAt = at;
            }
        }
    }
}
