using System.Globalization;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets;

/// <summary>
/// The base of every CrmSync widget: the common parameters of <see cref="CrmSyncElementBase"/>, the tenant, the SDK client
/// and the localized strings.
/// </summary>
public abstract class CrmSyncComponentBase : CrmSyncElementBase
{
    /// <summary>
    /// Gets or sets the tenant every SDK call is scoped by. Defaults to the cascading <see cref="CrmSyncTenant"/>;
    /// one of the two is required by widgets that read or change data.
    /// </summary>
    [Parameter]
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the cascading tenant, used when <see cref="TenantId"/> is not set.</summary>
    [CascadingParameter]
    public CrmSyncTenant? CascadingTenant { get; set; }

    /// <summary>Gets or sets the SDK client every read and action goes through.</summary>
    [Inject]
    protected CrmSyncClient Client { get; set; } = default!;

    /// <summary>Gets or sets the localized strings.</summary>
    [Inject]
    protected IStringLocalizer<CrmSyncStrings> L { get; set; } = default!;

    /// <summary>Gets or sets the widget options.</summary>
    [Inject]
    protected IOptions<CrmSyncWidgetOptions> WidgetOptions { get; set; } = default!;

    /// <summary>Gets or sets the CrmSync options (product name, status thresholds).</summary>
    [Inject]
    protected IOptionsMonitor<CrmSyncOptions> SyncOptions { get; set; } = default!;

    /// <summary>Gets or sets the announcer, the one live region widgets report the outcome of an action through.</summary>
    [Inject]
    protected CrmSyncAnnouncer Announcer { get; set; } = default!;

    /// <summary>Gets or sets the clock.</summary>
    [Inject]
    protected TimeProvider TimeProvider { get; set; } = default!;

    /// <summary>Gets the tenant: <see cref="TenantId"/>, else the cascading <see cref="CrmSyncTenant"/>.</summary>
    /// <exception cref="InvalidOperationException">Neither is set.</exception>
    protected string ResolvedTenantId =>
        !string.IsNullOrWhiteSpace(TenantId) ? TenantId
        : CascadingTenant is { TenantId: { Length: > 0 } cascading } ? cascading
        : throw new InvalidOperationException($"{GetType().Name} needs a tenant: set its TenantId parameter or cascade a CrmSyncTenant.");

    /// <summary>Formats a time for display in <see cref="CrmSyncWidgetOptions.TimeZone"/> and the current culture.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    protected string FormatTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, WidgetOptions.Value.TimeZone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>
    /// Stands for a time in a localized sentence passed to <see cref="WithTime"/>: <c>WithTime(L["RetryingAt", TimeSlot], at)</c>
    /// renders the sentence with a <see cref="CrmSyncTime"/> (relative, exact on hover) where the slot is.
    /// </summary>
    protected const string TimeSlot = "\u2063crmsync-time\u2063";

    /// <summary>Renders a localized sentence holding <see cref="TimeSlot"/> with a <see cref="CrmSyncTime"/> in its place.</summary>
    /// <param name="sentence">The sentence, formatted with <see cref="TimeSlot"/> as the time argument.</param>
    /// <param name="at">The time.</param>
    /// <returns>The fragment.</returns>
    protected static RenderFragment WithTime(string sentence, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var parts = sentence.Split(TimeSlot, 2);
        return builder =>
        {
            builder.AddContent(0, parts[0]);
            if (parts.Length == 2)
            {
                builder.OpenComponent<CrmSyncTime>(1);
                builder.AddComponentParameter(2, nameof(CrmSyncTime.At), at);
                builder.CloseComponent();
                builder.AddContent(3, parts[1]);
            }
        };
    }

    /// <summary>
    /// Renders a connection status's reason for people: the SDK's plain sentence, then when it matters the time in words with the exact
    /// time on hover ("Resumes automatically in 3 hours.", "Started 20 minutes ago.").
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns>The fragment.</returns>
    protected RenderFragment StatusReason(ConnectionStatusReport status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var resumes = status.ResumesAt is { } at ? WithTime(L["StatusResumesAt", TimeSlot], at) : null;
        var since = status.Since is { } start ? WithTime(L["StatusSince", TimeSlot], start) : null;
        return builder =>
        {
            builder.AddContent(0, status.Reason);
            if (resumes is not null)
            {
                builder.AddContent(1, " ");
                builder.AddContent(2, resumes);
            }

            if (since is not null)
            {
                builder.AddContent(3, " ");
                builder.AddContent(4, since);
            }
        };
    }

    /// <summary>Formats a time for a <c>&lt;time datetime&gt;</c> attribute (ISO 8601, UTC).</summary>
    /// <param name="at">The time.</param>
    /// <returns>The text.</returns>
    protected static string IsoTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Builds a link from a template with <c>{provider}</c> and <c>{connectionId}</c> placeholders.</summary>
    /// <param name="template">The template.</param>
    /// <param name="connection">The connection.</param>
    /// <returns>The link.</returns>
    protected static string ConnectionLink(string template, CrmConnection connection)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(connection);
        return template
            .Replace("{provider}", Uri.EscapeDataString(connection.Provider), StringComparison.Ordinal)
            .Replace("{connectionId}", connection.Id.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Gets the user-facing message of an exception thrown by an SDK call; CrmSync messages are already free of secrets.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The message.</returns>
    protected string ErrorText(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CrmSyncException or InvalidOperationException or KeyNotFoundException => exception.Message,
            _ => L["UnexpectedError"],
        };
    }

    /// <summary>
    /// A counted sentence with the right plural: uses <paramref name="key"/> + <c>One</c> when <paramref name="count"/> is 1
    /// ("Rejected 1 record"), else <paramref name="key"/> ("Rejected 3 records").
    /// </summary>
    /// <param name="key">The resource of the plural form.</param>
    /// <param name="count">The count the sentence is about.</param>
    /// <param name="arguments">The format arguments (the count among them, as the resource expects).</param>
    /// <returns>The localized text.</returns>
    protected string Plural(string key, long count, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (count == 1)
        {
            var one = L[key + "One", arguments];
            if (!one.ResourceNotFound)
            {
                return one.Value;
            }
        }

        return L[key, arguments];
    }

    /// <summary>
    /// The word a status chip shows for <paramref name="status"/>: the host's own label from <see cref="CrmSyncOptions.StatusLabels"/>
    /// (for example "Failed Sync" for Error), else the default of notes 000/002.
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns>The label.</returns>
    protected string StatusLabel(ConnectionStatus status) =>
        SyncOptions.CurrentValue.StatusLabels.TryGetValue(status, out var label) && !string.IsNullOrWhiteSpace(label)
            ? label
            : status switch
            {
                ConnectionStatus.Active => L["StatusActive"],
                ConnectionStatus.Paused => L["StatusPaused"],
                ConnectionStatus.Stale => L["StatusStale"],
                ConnectionStatus.Error => L["StatusError"],
                ConnectionStatus.Revoked or ConnectionStatus.Disconnected => L["StatusDisconnected"],
                _ => L["StatusSetupIncomplete"],
            };

    /// <summary>The name people read for a sync log event type (<c>settings_changed</c> → "Settings changed"); unknown types are spelled out from their id.</summary>
    /// <param name="eventType">The event type id.</param>
    /// <returns>The localized name.</returns>
    protected string EventTypeName(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var named = L["EventType_" + eventType];
        return named.ResourceNotFound ? Humanize(eventType) : named.Value;
    }

    /// <summary>The name people read for a CRM stage id the CRM sent without a label (<c>closedlost</c> → "Closed lost", <c>appointment_scheduled</c> → "Appointment scheduled").</summary>
    /// <param name="stage">The stage id, or <see langword="null"/>.</param>
    /// <returns>The name, or an em dash when there is no stage.</returns>
    protected string StageName(string? stage)
    {
        if (string.IsNullOrWhiteSpace(stage))
        {
            return "—";
        }

        var named = L["Stage_" + stage.ToLowerInvariant()];
        return named.ResourceNotFound ? Humanize(stage) : named.Value;
    }

    private static string Humanize(string id)
    {
        var text = id.Replace('_', ' ').Replace('-', ' ').Trim();
        return text.Length == 0 ? id : char.ToUpper(text[0], CultureInfo.CurrentCulture) + text[1..];
    }

    /// <summary>Formats how often a schedule runs ("every minute", "every 5 minutes", "every 4 hours"), rounding up to whole minutes.</summary>
    /// <param name="interval">The interval.</param>
    /// <returns>The localized text.</returns>
    protected string FormatEvery(TimeSpan interval)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(interval.TotalMinutes));
        if (minutes % 60 == 0)
        {
            var hours = minutes / 60;
            return hours == 1 ? L["EveryHour"] : L["EveryHours", hours];
        }

        return minutes == 1 ? L["EveryMinute"] : L["EveryMinutes", minutes];
    }

    /// <summary>Formats a schedule interval for people ("1 minute", "5 minutes", "4 hours"), rounding up to whole minutes.</summary>
    /// <param name="interval">The interval.</param>
    /// <returns>The localized text.</returns>
    protected string FormatInterval(TimeSpan interval)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(interval.TotalMinutes));
        if (minutes % 60 == 0)
        {
            var hours = minutes / 60;
            return hours == 1 ? L["IntervalHour"] : L["IntervalHours", hours];
        }

        return minutes == 1 ? L["IntervalMinute"] : L["IntervalMinutes", minutes];
    }
}
