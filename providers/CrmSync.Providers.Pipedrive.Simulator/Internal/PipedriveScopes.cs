namespace CrmSync.Providers.Pipedrive.Simulator.Internal;

/// <summary>
/// The OAuth scopes Pipedrive's scope table gives each endpoint: persons, person fields and organizations
/// <c>contacts:read</c> or <c>contacts:full</c> to read and <c>contacts:full</c> to write; deals and stages
/// <c>deals:read</c>/<c>deals:full</c>; activities and activity types <c>activities:read</c>/<c>activities:full</c>; notes
/// the contacts or deals scopes; users <c>users:read</c>, and the authorized user (<c>/users/me</c>) <c>base</c>.
/// </summary>
internal static class PipedriveScopes
{
    /// <summary>Returns whether the granted scopes (space or comma separated) allow a request.</summary>
    public static bool Allows(string granted, string method, string path)
    {
        var scopes = granted.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[0] != "api")
        {
            return true;
        }

        var read = method is "GET" or "HEAD";
        return segments[2] switch
        {
            "persons" or "personFields" or "organizations" or "organizationFields" => Area(scopes, read, "contacts"),
            "deals" or "dealFields" or "stages" or "pipelines" => Area(scopes, read, "deals"),
            "activities" or "activityTypes" or "activityFields" => Area(scopes, read, "activities"),
            "notes" => Area(scopes, read, "contacts") || Area(scopes, read, "deals"),
            "users" when segments.Length > 3 && segments[3] == "me" => scopes.Contains("base"),
            "users" => read && (scopes.Contains("users:read") || scopes.Contains("admin")),
            _ => true,
        };
    }

    /// <summary>Reads need <c>{area}:read</c> or <c>{area}:full</c>; writes need <c>{area}:full</c>.</summary>
    private static bool Area(HashSet<string> scopes, bool read, string area) =>
        scopes.Contains(area + ":full") || (read && scopes.Contains(area + ":read"));
}
