namespace CrmSync.Providers.HubSpot;

/// <summary>Builds the two leading path segments for v3 or date-versioned HubSpot paths.</summary>
internal readonly record struct HubSpotPaths(string Version)
{
    public (string First, string Second) Objects => Area("objects");

    public (string First, string Second) Properties => Area("properties");

    public (string First, string Second) Owners => Area("owners");

    private (string First, string Second) Area(string area) => Version == "v3" ? ("v3", area) : (area, Version);
}
