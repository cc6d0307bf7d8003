using System.Globalization;

namespace CrmSync.Widgets;

/// <summary>Makes element ids unique within a page, for <c>aria-labelledby</c> and <c>aria-describedby</c> pairs.</summary>
internal static class CrmSyncIds
{
    private static long _next;

    /// <summary>Gets a new id with the given prefix.</summary>
    /// <param name="prefix">What the element is.</param>
    /// <returns>The id, for example <c>crmsync-card-12</c>.</returns>
    public static string Next(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"crmsync-{prefix}-{Interlocked.Increment(ref _next)}");
}
