namespace CrmSync.Widgets.Tests.Architecture;

public class PrimitiveStylesTests
{
    private static readonly string WidgetsRoot = FindWidgetsRoot();

    [Fact]
    public void WidgetStylesheets_NoPrimitiveStyles_OutsidePrimitives()
    {
        // Arrange
        var primitiveClasses = PrimitiveClasses();
        var widgetSheets = Directory.GetFiles(Path.Combine(WidgetsRoot, "Components"), "*.razor.css", SearchOption.AllDirectories);

        // Act
        var violations = widgetSheets
            .SelectMany(file => PrimitiveStyleRules.FindViolations(File.ReadAllText(file), primitiveClasses)
                .Select(v => $"{Path.GetRelativePath(WidgetsRoot, file)}: {v}"))
            .ToList();

        // Assert
        Assert.NotEmpty(widgetSheets);
        Assert.True(violations.Count == 0, "Widgets restyle primitives instead of using them:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void PrimitiveClasses_ScanOfPrimitives_FindsCardButtonPillTableAndSteps()
    {
        // Act
        var classes = PrimitiveClasses();

        // Assert
        Assert.Contains("crmsync-surface-card", classes);
        Assert.Contains("crmsync-button", classes);
        Assert.Contains("crmsync-pill", classes);
        Assert.Contains("crmsync-table", classes);
        Assert.Contains("crmsync-step", classes);
    }

    [Theory]
    [InlineData(".crmsync-x { border-radius: 8px; box-shadow: 0 1px 2px #000; }", "card")]
    [InlineData(".crmsync-x { padding: 1rem; border: 1px solid #ccc; border-radius: 6px; background: #fff; }", "filled box")]
    [InlineData(".crmsync-x button { border: 0; }", "button selector")]
    [InlineData(".crmsync-x__spinner { animation: spin 1s linear infinite; }", "animation")]
    [InlineData("@keyframes spin { to { transform: rotate(360deg); } }", "@keyframes")]
    [InlineData(".crmsync-x__state { padding: 0 0.4em; border-radius: 999px; }", "pill")]
    [InlineData("@media (max-width: 30rem) { .crmsync-x td { padding: 0; } }", "table selector")]
    [InlineData(".crmsync-x .crmsync-button:hover { color: red; }", ".crmsync-button")]
    [InlineData(".crmsync-step { display: flex; }", ".crmsync-step")]
    public void FindViolations_PrimitiveStyleInWidget_Reported(string css, string expected)
    {
        // Act
        var violations = PrimitiveStyleRules.FindViolations(css, new HashSet<string>(["crmsync-button", "crmsync-step"], StringComparer.Ordinal));

        // Assert
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".crmsync-x { display: grid; gap: 1rem; }")]
    [InlineData(".crmsync-x__track { height: 0.5rem; border-radius: 999px; background: #eee; }")]
    [InlineData(".crmsync-x fieldset { padding: 0.5rem; border: 1px solid #ccc; border-radius: 6px; }")]
    [InlineData(".crmsync-steps-note { color: gray; }")]
    public void FindViolations_WidgetLayout_NotReported(string css)
    {
        // Act
        var violations = PrimitiveStyleRules.FindViolations(css, new HashSet<string>(["crmsync-button", "crmsync-step"], StringComparer.Ordinal));

        // Assert
        Assert.Empty(violations);
    }

    private static HashSet<string> PrimitiveClasses()
    {
        var sheets = Directory.GetFiles(Path.Combine(WidgetsRoot, "Primitives"), "*.razor.css", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Append(PrimitiveSectionsOfKitStylesheet());
        return sheets.SelectMany(PrimitiveStyleRules.DefinedRootClasses)
            .Where(c => c is not ("crmsync-loading" or "crmsync-sr-only" or "crmsync-visually-hidden" or "crmsync-ask-admin"))
            .ToHashSet(StringComparer.Ordinal);
    }

    // The kit stylesheet holds the tokens and the Button and Table primitives' styles.
    private static string PrimitiveSectionsOfKitStylesheet() => File.ReadAllText(Path.Combine(WidgetsRoot, "wwwroot", "crmsync.css"));

    private static string FindWidgetsRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "widgets", "CrmSync.Widgets");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("widgets/CrmSync.Widgets not found above " + AppContext.BaseDirectory);
    }
}
