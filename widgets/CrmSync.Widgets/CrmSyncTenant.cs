namespace CrmSync.Widgets;

/// <summary>
/// The tenant the widgets below it work for, as a cascading value:
/// <c>&lt;CascadingValue Value="new CrmSyncTenant(tenantId)"&gt;…&lt;/CascadingValue&gt;</c>.
/// A widget's own <c>TenantId</c> parameter wins over the cascading value.
/// </summary>
/// <param name="TenantId">The tenant id every SDK call is scoped by.</param>
public sealed record CrmSyncTenant(string TenantId);
