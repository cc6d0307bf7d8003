namespace CrmSync.Providers.Pipedrive.Internal;

/// <summary>
/// The Pipedrive scope each endpoint the provider calls needs (Marketplace scopes and permissions page). Pipedrive's
/// authorize URL takes no scope: the app's scopes are set in Developer Hub, so they are documented here and in the README,
/// and a 403 "Scope and URL mismatch" is explained by naming the scope of the endpoint that was refused.
/// </summary>
internal static class PipedriveScopes
{
    /// <summary>Returns the scope that covers a request, or <see langword="null"/> when the path is not one the provider knows.</summary>
    public static string? For(HttpMethod? method, Uri? uri)
    {
        var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var index = Array.IndexOf(segments, "api");
        if (index < 0 || segments.Length < index + 3)
        {
            return null;
        }

        var read = method == HttpMethod.Get;
        var resource = segments[index + 2];
        return resource switch
        {
            "persons" or "personFields" or "organizations" or "organizationFields" => read ? "contacts:read" : "contacts:full",
            "deals" or "dealFields" or "stages" or "pipelines" => read ? "deals:read" : "deals:full",
            "activities" or "activityTypes" or "activityFields" => read ? "activities:read" : "activities:full",
            "notes" => read ? "contacts:read" : "contacts:full",
            "users" when segments.Length > index + 3 && segments[index + 3] == "me" => "base",
            "users" => "users:read",
            _ => null,
        };
    }
}
