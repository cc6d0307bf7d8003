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
