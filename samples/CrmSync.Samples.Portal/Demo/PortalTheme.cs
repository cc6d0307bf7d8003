namespace CrmSync.Samples.Portal.Demo;

/// <summary>The portal's theme choice: light, dark or auto (the viewer's system setting), mapped onto <c>data-crmsync-theme</c>.</summary>
public static class PortalTheme
{
    /// <summary>The cookie that remembers the choice.</summary>
    public const string CookieName = "portal-theme";

    /// <summary>The themes, as <c>data-crmsync-theme</c> values.</summary>
    public static IReadOnlyList<string> All { get; } = ["light", "dark", "auto"];

    /// <summary>Picks the theme: the query value if valid, else the cookie if valid, else light.</summary>
    /// <param name="query">The <c>?theme=</c> value.</param>
    /// <param name="cookie">The cookie value.</param>
    /// <returns>The theme.</returns>
    public static string Resolve(string? query, string? cookie) =>
        Valid(query) ?? Valid(cookie) ?? "light";

    /// <summary>Returns the theme when it is one of <see cref="All"/>, else <see langword="null"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The theme or <see langword="null"/>.</returns>
    public static string? Valid(string? value) =>
        value is not null && All.Contains(value, StringComparer.OrdinalIgnoreCase) ? value.ToLowerInvariant() : null;
}
