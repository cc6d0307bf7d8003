namespace CrmSync.Providers.Zoho.Simulator.Internal;

/// <summary>
/// Which OAuth scope each endpoint needs, as Zoho CRM v8 documents it: records need <c>ZohoCRM.modules.ALL</c> or the
/// module's own scope (<c>ZohoCRM.modules.{Module}.{ALL|READ|CREATE|UPDATE|DELETE}</c>); COQL needs
/// <c>ZohoCRM.coql.READ</c> besides read access to modules; users need <c>ZohoCRM.users.READ</c>; field metadata needs
/// <c>ZohoCRM.settings.fields.READ</c> and creating a field <c>ZohoCRM.settings.fields.CREATE</c> (or
/// <c>ZohoCRM.settings.fields.ALL</c>, or <c>ZohoCRM.settings.ALL</c>). An <c>.ALL</c> scope covers every operation.
/// </summary>
internal static class ZohoScopes
{
    /// <summary>Returns whether the granted scopes (comma or space separated) allow a request.</summary>
    public static bool Allows(string granted, string method, string path)
    {
        var scopes = granted.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[0] != "crm")
        {
            return true;
        }

        var area = segments[2];
        var operation = method switch
        {
            "GET" => "READ",
            "POST" => "CREATE",
            "PUT" or "PATCH" => "UPDATE",
            "DELETE" => "DELETE",
            _ => "ALL",
        };
        var setting = segments.Length > 3 ? segments[3] : string.Empty;
        return area switch
        {
            "coql" => Any(scopes, "ZohoCRM.coql.READ", "ZohoCRM.coql.ALL") && Module(scopes, null, "READ"),
            "users" => Any(scopes, "ZohoCRM.users.READ", "ZohoCRM.users.ALL"),
            "settings" => Any(scopes, "ZohoCRM.settings.ALL", $"ZohoCRM.settings.{setting}.{operation}", $"ZohoCRM.settings.{setting}.ALL"),
            _ => Module(scopes, area, segments.Length > 3 && segments[3] == "search" ? "READ" : operation),
        };
    }

    private static bool Module(HashSet<string> scopes, string? module, string operation) =>
        scopes.Contains("ZohoCRM.modules.ALL")
        || scopes.Contains($"ZohoCRM.modules.{operation}")
        || (module is not null && (scopes.Contains($"ZohoCRM.modules.{module}.ALL") || scopes.Contains($"ZohoCRM.modules.{module}.{operation}")));

    private static bool Any(HashSet<string> scopes, params string[] candidates) => candidates.Any(scopes.Contains);
}
