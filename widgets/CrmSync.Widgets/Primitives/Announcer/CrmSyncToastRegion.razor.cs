using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace CrmSync.Widgets;

/// <summary>
/// The single <c>aria-live</c> region of the kit: place it once in the host's layout. It shows what widgets announce through
/// <see cref="CrmSyncAnnouncer"/> as toasts at the bottom corner of the page, each with a Dismiss button, and dismisses each
/// toast after <see cref="Timeout"/> on the registered <see cref="TimeProvider"/>.
/// </summary>
public partial class CrmSyncToastRegion
{
    private readonly Dictionary<long, ITimer> _timers = [];

    /// <summary>Gets or sets how long a toast stays; <see langword="null"/> keeps it until dismissed. Defaults to 8 seconds.</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; } = TimeSpan.FromSeconds(8);

    [Inject]
    private CrmSyncAnnouncer Announcer { get; set; } = default!;

    [Inject]
    private IStringLocalizer<CrmSyncStrings> L { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <inheritdoc />
    public void Dispose()
    {
        Announcer.Changed -= OnChanged;
        lock (_timers)
        {
            foreach (var timer in _timers.Values)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    /// <inheritdoc />
    protected override void OnInitialized() => Announcer.Changed += OnChanged;

    private static CrmSyncIconName IconOf(CrmSyncTone tone) => tone switch
    {
        CrmSyncTone.Success => CrmSyncIconName.CheckCircle,
        CrmSyncTone.Warning => CrmSyncIconName.Warning,
        CrmSyncTone.Danger => CrmSyncIconName.AlertCircle,
        _ => CrmSyncIconName.Info,
    };

    private void OnChanged()
    {
        if (Timeout is { } timeout && timeout > TimeSpan.Zero)
        {
            lock (_timers)
            {
                foreach (var item in Announcer.Items.Where(i => !_timers.ContainsKey(i.Id)))
                {
                    var id = item.Id;
                    _timers[id] = Clock.CreateTimer(_ => Expire(id), null, timeout, System.Threading.Timeout.InfiniteTimeSpan);
                }
            }
        }

        _ = InvokeAsync(StateHasChanged);
    }

    private void Expire(long id)
    {
        lock (_timers)
        {
            if (_timers.Remove(id, out var timer))
            {
                timer.Dispose();
            }
        }

        Announcer.Dismiss(id);
    }
}
