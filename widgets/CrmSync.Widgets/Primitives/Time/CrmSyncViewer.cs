using System.Globalization;

namespace CrmSync.Widgets;

/// <summary>
/// Who is looking: the time zone and culture times are shown in. Cascade one per signed-in user
/// (<c>&lt;CascadingValue Value="viewer"&gt;</c>), for example from a profile setting or the browser's
/// <c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>; without it the widgets use <see cref="CrmSyncWidgetOptions.TimeZone"/>
/// and <see cref="CultureInfo.CurrentCulture"/>.
/// </summary>
/// <param name="TimeZone">The viewer's time zone.</param>
/// <param name="Culture">The viewer's culture for dates and numbers; <see langword="null"/> means <see cref="CultureInfo.CurrentCulture"/>.</param>
public sealed record CrmSyncViewer(TimeZoneInfo TimeZone, CultureInfo? Culture = null)
{
    /// <summary>Creates a viewer from an IANA or Windows time zone id, falling back to UTC when the id is unknown on this machine.</summary>
    /// <param name="timeZoneId">The id, for example <c>Europe/Paris</c>.</param>
    /// <param name="culture">The culture, or <see langword="null"/>.</param>
    /// <returns>The viewer.</returns>
    public static CrmSyncViewer FromTimeZoneId(string? timeZoneId, CultureInfo? culture = null) =>
        new(!string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc, culture);
}
