using System.Reflection;
using CrmSync.Providers.OpenApi.Internal;

namespace CrmSync.Providers.OpenApi;

/// <summary>The profiles shipped with CrmSync, and the loading and validation of any profile.</summary>
public static class OpenApiProfiles
{
    private const string ResourcePrefix = "CrmSync.Providers.OpenApi.Profiles.";

    /// <summary>Gets the Reapit Foundations profile: contacts (applicants read as leads), negotiators as users, journal entries as activities, client-credentials tokens from Reapit Connect.</summary>
    public static OpenApiProfile Reapit { get; } = LoadEmbedded("reapit.profile.json");

    /// <summary>Checks a profile against its OpenAPI document and returns every problem, each naming the profile entry at fault. Empty when the profile fits.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="documentPath">A path on disk to read the document from instead of <see cref="OpenApiProfile.Document"/>.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<OpenApiProfileProblem> Validate(OpenApiProfile profile, string? documentPath = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        try
        {
            return OpenApiProfileValidator.Validate(profile, LoadDocument(profile, documentPath));
        }
        catch (OpenApiProfileException ex)
        {
            return ex.Problems;
        }
    }

    internal static OpenApiDocument LoadDocument(OpenApiProfile profile, string? documentPath)
    {
        if (documentPath is null && typeof(OpenApiProfiles).Assembly.GetManifestResourceStream(ResourcePrefix + Path.GetFileName(profile.Document)) is { } embedded)
        {
            using (embedded)
            {
                return OpenApiDocument.Parse(embedded);
            }
        }

        var path = documentPath ?? (Path.IsPathRooted(profile.Document) ? profile.Document : Path.Combine(AppContext.BaseDirectory, profile.Document));
        if (!File.Exists(path))
        {
            throw new OpenApiProfileException("document", $"The OpenAPI document '{path}' does not exist.");
        }

        using var stream = File.OpenRead(path);
        return OpenApiDocument.Parse(stream);
    }

    private static OpenApiProfile LoadEmbedded(string name)
    {
        using var stream = typeof(OpenApiProfiles).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The embedded profile '{name}' is missing from {typeof(OpenApiProfiles).Assembly.GetName().Name}.");
        return OpenApiProfile.Load(stream);
    }
}
