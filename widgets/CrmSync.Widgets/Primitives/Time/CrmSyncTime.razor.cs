using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets;

/// <summary>
/// A time for people: relative ("5 minutes ago") by default, with the exact time in the viewer's time zone and culture shown on
/// hover and keyboard focus and read by screen readers. The zone and culture come from the cascading <see cref="CrmSyncViewer"/>,
/// else <see cref="CrmSyncWidgetOptions.TimeZone"/> and the current culture; "now" comes from the registered <see cref="TimeProvider"/>.
/// </summary>
public partial class CrmSyncTime
{
    /// <summary>Gets or sets the time.</summary>
    [Parameter, EditorRequired]
    public DateTimeOffset At { get; set; }

    /// <summary>Gets or sets whether the visible text is relative; otherwise the short date and time. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool Relative { get; set; } = true;

    /// <summary>Gets or sets whether the time takes keyboard focus to reveal the exact time. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool Focusable { get; set; } = true;

    /// <summary>Gets or sets the viewer (time zone and culture), cascaded by the host.</summary>
    [CascadingParameter]
    public CrmSyncViewer? Viewer { get; set; }

    [Inject]
    private IStringLocalizer<CrmSyncStrings> L { get; set; } = default!;

    [Inject]
    private IOptions<CrmSyncWidgetOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private CrmSyncTimeText Text => new(L, Viewer?.TimeZone ?? Options.Value.TimeZone, Viewer?.Culture ?? CultureInfo.CurrentCulture);

    private string Iso => At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private string Display => Relative ? Text.Relative(At, Clock.GetUtcNow()) : Text.Short(At);

    private string Exact => Text.Exact(At);
}
