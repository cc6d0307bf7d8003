namespace CrmSync.Widgets;

/// <summary>Options of the widget kit, set with <c>services.AddCrmSyncWidgets(o =&gt; …)</c>.</summary>
public sealed class CrmSyncWidgetOptions
{
    /// <summary>Gets or sets the roles that satisfy <see cref="CrmSyncPolicies.ManageConnections"/>. Defaults to <c>owner</c> and <c>admin</c>.</summary>
    public IList<string> ManageConnectionsRoles { get; set; } = ["owner", "admin"];

    /// <summary>Gets or sets the roles that satisfy <see cref="CrmSyncPolicies.ApproveImports"/>. Defaults to <c>manager</c> and <c>admin</c>.</summary>
    public IList<string> ApproveImportsRoles { get; set; } = ["manager", "admin"];

    /// <summary>Gets or sets what a widget shows to a user its policy does not allow. Defaults to <see cref="CrmSyncUnauthorizedDisplay.AskAnAdmin"/>.</summary>
    public CrmSyncUnauthorizedDisplay UnauthorizedDisplay { get; set; } = CrmSyncUnauthorizedDisplay.AskAnAdmin;

    /// <summary>
    /// Gets or sets how often self-refreshing widgets (sync log, recent activity, nav badge, schedule, banners) reload, on the registered
    /// <see cref="TimeProvider"/>; <see langword="null"/> or zero turns polling off (they still reload after each run a widget starts). Defaults to 30 seconds.
    /// </summary>
    public TimeSpan? RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the diagnostics page of a connection that stale banners and schedule rows link to; <c>{provider}</c> and
    /// <c>{connectionId}</c> are replaced. Defaults to <c>/settings/integrations/{provider}</c>.
    /// </summary>
    public string DiagnosticsUrl { get; set; } = "/settings/integrations/{provider}";

    /// <summary>
    /// Gets or sets the host page that completes OAuth sign-in (it calls <c>CrmSyncClient.CompleteSignInAsync(state, code)</c>),
    /// relative to the app's base address. Defaults to <c>/crmsync/signin-callback</c>.
    /// </summary>
    public string SignInCallbackPath { get; set; } = "/crmsync/signin-callback";

    /// <summary>
    /// Gets or sets how the import wizard, import inbox and lead-source tracker turn the signed-in user into the
    /// <see cref="CrmSync.Sdk.CrmImportActor"/> whose roles <c>CrmImportOptions</c> checks; return <see langword="null"/> to refuse.
    /// Defaults to <see langword="null"/>: <see cref="CrmSyncImportActors.FromClaims"/> (the user's name and role claims).
    /// </summary>
    public Func<System.Security.Claims.ClaimsPrincipal, CrmSync.Sdk.CrmImportActor?>? ImportActor { get; set; }

    /// <summary>
    /// Gets the host's own CRM logos, by provider name (<c>hubspot</c>, <c>salesforce</c>…) to image URL; a provider listed here shows
    /// that image in <see cref="CrmSyncBrandMark"/> instead of the kit's neutral mark. Defaults to empty.
    /// </summary>
    public IDictionary<string, string> BrandLogos { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the time zone times are shown in when the host cascades no <see cref="CrmSyncViewer"/> for the signed-in user.
    /// Defaults to UTC.
    /// </summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;
}
