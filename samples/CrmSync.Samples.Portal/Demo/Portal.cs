namespace CrmSync.Samples.Portal.Demo;

/// <summary>Portal-wide constants.</summary>
public static class Portal
{
    /// <summary>Providers registered only for the widget gallery, hidden from the connect lists.</summary>
    public static readonly IReadOnlySet<string> HiddenProviders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { GallerySeeder.ProviderName };
}
