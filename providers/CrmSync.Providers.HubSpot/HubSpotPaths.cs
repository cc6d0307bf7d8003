namespace CrmSync.Providers.HubSpot;

/// <summary>Builds the two leading path segments for v3 or date-versioned HubSpot paths.</summary>
internal readonly record struct HubSpotPaths(string Version)
{
    public (string First, string Second) Objects => Area("objects");

    public (string First, string Second) Properties => Area("properties");

    public (string First, string Second) Owners => Area("owners");

    public (string First, string Second) Pipelines => Area("pipelines");

    /// <summary>Gets the associations area: v4 paths (<c>/crm/v4/associations/…</c>) next to v3 objects, or the same date version.</summary>
    public (string First, string Second) Associations => Version == "v3" ? ("v4", "associations") : ("associations", Version);

    /// <summary>Gets the version segment of <c>/account-info/{version}/details</c>: <c>v3</c> or the date version.</summary>
    public string AccountInfo => Version;

    private (string First, string Second) Area(string area) => Version == "v3" ? ("v3", area) : (area, Version);
}
