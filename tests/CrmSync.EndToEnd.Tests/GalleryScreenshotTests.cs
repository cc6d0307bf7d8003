using CrmSync.EndToEnd.Tests.Visual;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>
/// Visual regression of the widget gallery: every gallery section, in both themes, at 1280 px and 375 px, against the reviewed
/// baselines in <c>tests/CrmSync.EndToEnd.Tests/baselines</c>. A difference writes the actual and a diff image (changed pixels in
/// red) to <c>artifacts/visual</c>. Regenerate the baselines (and the docs screenshots) after an intended change with:
/// <c>CRMSYNC_UPDATE_BASELINES=1 dotnet test tests/CrmSync.EndToEnd.Tests --filter Screenshot</c>, then review the images.
/// </summary>
public sealed class GalleryScreenshotTests(BrowserFixture browser, ShowcasePortalFixture showcase, ITestOutputHelper output) : ShowcaseTest(browser, showcase, output)
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("CRMSYNC_UPDATE_BASELINES") is "1" or "true";

    public static string BaselineDirectory { get; } = Path.Combine(PortalProcess.RepositoryRoot(), "tests", "CrmSync.EndToEnd.Tests", "baselines");

    public static string ArtifactDirectory { get; } = Path.Combine(PortalProcess.RepositoryRoot(), "artifacts", "visual");

    public static string DocsDirectory { get; } = Path.Combine(PortalProcess.RepositoryRoot(), "docs", "images", "widgets");

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 1280)]
    [InlineData("light", 375)]
    [InlineData("dark", 375)]
    public async Task Screenshot_GalleryThemeAndWidth_MatchesBaselines(string theme, int width)
    {
        // Arrange
        // An admin both manages connections and reviews imports, so every action and the inbox rows show.
        var (context, page) = await OpenAsync(width, theme, role: "admin");
        try
        {
            await GotoAsync(page, "/gallery");
            var sections = page.Locator("[data-gallery-section]");
            var count = await sections.CountAsync();
            Assert.True(count > 0, "The gallery has no [data-gallery-section] sections.");
            var failures = new List<string>();

            // Act
            for (var i = 0; i < count; i++)
            {
                var section = sections.Nth(i);
                var name = await section.GetAttributeAsync("data-gallery-section");
                var file = $"gallery-{name}-{theme}-{width}.png";
                var png = await section.ScreenshotAsync(new LocatorScreenshotOptions { Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide, Scale = ScreenshotScale.Css });
                if (Compare(file, png) is { } failure)
                {
                    failures.Add(failure);
                }

                if (Update && theme == "light" && width == 1280)
                {
                    Directory.CreateDirectory(DocsDirectory);
                    await File.WriteAllBytesAsync(Path.Combine(DocsDirectory, $"{name}.png"), png);
                }
            }

            // Assert
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private string? Compare(string file, byte[] png)
    {
        var baselinePath = Path.Combine(BaselineDirectory, file);
        if (Update)
        {
            Directory.CreateDirectory(BaselineDirectory);
            File.WriteAllBytes(baselinePath, png);
            Output.WriteLine($"Baseline written: {baselinePath}");
            return null;
        }

        Directory.CreateDirectory(ArtifactDirectory);
        var actualPath = Path.Combine(ArtifactDirectory, file.Replace(".png", ".actual.png", StringComparison.Ordinal));
        if (!File.Exists(baselinePath))
        {
            File.WriteAllBytes(actualPath, png);
            return $"{file}: no baseline; review {actualPath} and create baselines with CRMSYNC_UPDATE_BASELINES=1 dotnet test tests/CrmSync.EndToEnd.Tests --filter Screenshot";
        }

        var diff = ScreenshotComparer.Compare(PngImage.Decode(File.ReadAllBytes(baselinePath)), PngImage.Decode(png));
        Output.WriteLine($"{file}: {diff.DifferentPixels} of {diff.TotalPixels} pixels differ ({diff.Ratio:P3}){(diff.SizeMismatch is null ? string.Empty : "; " + diff.SizeMismatch)}");
        if (diff.SizeMismatch is null && diff.Ratio <= ScreenshotComparer.MaxDifferentRatio)
        {
            return null;
        }

        File.WriteAllBytes(actualPath, png);
        var message = $"{file}: {(diff.SizeMismatch ?? $"{diff.Ratio:P3} of pixels differ (limit {ScreenshotComparer.MaxDifferentRatio:P1})")}; actual: {actualPath}";
        if (diff.Diff is { } image)
        {
            var diffPath = Path.Combine(ArtifactDirectory, file.Replace(".png", ".diff.png", StringComparison.Ordinal));
            File.WriteAllBytes(diffPath, image.Encode());
            message += $"; diff: {diffPath}";
        }

        return message;
    }
}
