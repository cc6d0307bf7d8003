namespace CrmSync.Widgets;

/// <summary>
/// The authorization policies the widgets check. <c>AddCrmSyncWidgets</c> registers both as role policies built from
/// <see cref="CrmSyncWidgetOptions.ManageConnectionsRoles"/> and <see cref="CrmSyncWidgetOptions.ApproveImportsRoles"/>;
/// a host that registers a policy with the same name keeps its own.
/// </summary>
public static class CrmSyncPolicies
{
    /// <summary>Connect, reconnect, sync now, retry, change settings and mapping, send a test contact, disconnect. Defaults to the roles owner and admin.</summary>
    public const string ManageConnections = "CrmSync.ManageConnections";

    /// <summary>Approve or reject items of the import inbox. Defaults to the roles manager and admin.</summary>
    public const string ApproveImports = "CrmSync.ApproveImports";
}
