using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CrmSync.Widgets;

/// <summary>Formats times and durations for people: relative ("5 minutes ago"), exact in the viewer's zone and culture, durations in words.</summary>
/// <param name="strings">The localized strings.</param>
/// <param name="timeZone">The viewer's time zone.</param>
/// <param name="culture">The viewer's culture.</param>
public sealed class CrmSyncTimeText(IStringLocalizer<CrmSyncStrings> strings, TimeZoneInfo timeZone, CultureInfo culture)
{
    /// <summary>Gets the viewer's time zone.</summary>
    public TimeZoneInfo TimeZone { get; } = timeZone ?? throw new ArgumentNullException(nameof(timeZone));

    /// <summary>Gets the viewer's culture.</summary>
    public CultureInfo Culture { get; } = culture ?? throw new ArgumentNullException(nameof(culture));

    /// <summary>Formats <paramref name="at"/> relative to <paramref name="now"/>: "just now", "5 minutes ago", "in 2 hours", "yesterday"; a date after a month.</summary>
    /// <param name="at">The time.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The text.</returns>
    public string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var delta = now - at;
        var future = delta < TimeSpan.Zero;
        var span = future ? delta.Negate() : delta;
        if (span < TimeSpan.FromSeconds(45))
        {
            return future ? strings["TimeInUnderAMinute"] : strings["TimeJustNow"];
        }

        if (span < TimeSpan.FromMinutes(45))
        {
            var minutes = Math.Max(1, (int)Math.Round(span.TotalMinutes));
            return (future, minutes == 1) switch
            {
                (false, true) => strings["TimeMinuteAgo"],
                (false, false) => strings["TimeMinutesAgo", minutes],
                (true, true) => strings["TimeInMinute"],
                _ => strings["TimeInMinutes", minutes],
            };
        }

        if (span < TimeSpan.FromHours(22))
        {
            var hours = Math.Max(1, (int)Math.Round(span.TotalHours));
            return (future, hours == 1) switch
            {
                (false, true) => strings["TimeHourAgo"],
                (false, false) => strings["TimeHoursAgo", hours],
                (true, true) => strings["TimeInHour"],
                _ => strings["TimeInHours", hours],
            };
        }

        if (span < TimeSpan.FromHours(36))
        {
            return future ? strings["TimeTomorrow"] : strings["TimeYesterday"];
        }

        if (span < TimeSpan.FromDays(26))
        {
            var days = Math.Max(2, (int)Math.Round(span.TotalDays));
            return future ? strings["TimeInDays", days] : strings["TimeDaysAgo", days];
        }

        return Local(at).ToString("d", Culture);
    }

    /// <summary>Formats the exact time in the viewer's zone and culture, with the zone: "Thursday, 3 December 2026 16:05 (Europe/Paris)".</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public string Exact(DateTimeOffset at) => strings["TimeExact", Local(at).ToString("f", Culture), ZoneName];

    /// <summary>Formats a time as a short date and time in the viewer's zone and culture ("03/12/2026 16:05").</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    public string Short(DateTimeOffset at) => Local(at).ToString("g", Culture);

    /// <summary>Formats a duration in words: "under a second", "12 seconds", "4 minutes 12 seconds", "2 hours 5 minutes", "3 days 4 hours".</summary>
    /// <param name="duration">The duration; negative durations are formatted as their length.</param>
    /// <returns>The text.</returns>
    public string Duration(TimeSpan duration)
    {
        var span = duration.Duration();
        if (span < TimeSpan.FromSeconds(1))
        {
            return strings["DurationUnderASecond"];
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return Unit((int)span.TotalSeconds, "DurationSecond", "DurationSeconds");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Pair(Unit(span.Minutes, "DurationMinute", "DurationMinutes"), span.Seconds, "DurationSecond", "DurationSeconds");
        }

        if (span < TimeSpan.FromDays(1))
        {
            return Pair(Unit(span.Hours, "DurationHour", "DurationHours"), span.Minutes, "DurationMinute", "DurationMinutes");
        }

        return Pair(Unit((int)span.TotalDays, "DurationDay", "DurationDays"), span.Hours, "DurationHour", "DurationHours");
    }

    /// <summary>Converts a time into the viewer's zone.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The local time.</returns>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone);

    private string ZoneName => TimeZone == TimeZoneInfo.Utc ? "UTC" : TimeZone.Id;

    private string Unit(int value, string one, string many) => value == 1 ? strings[one] : strings[many, value.ToString(Culture)];

    private string Pair(string first, int second, string one, string many) =>
        second == 0 ? first : strings["DurationPair", first, Unit(second, one, many)];
}
