using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>axe-core on every portal page and the gallery, in both themes: no serious or critical violation.</summary>
public sealed class AccessibilityTests(BrowserFixture browser, ShowcasePortalFixture showcase, ITestOutputHelper output) : ShowcaseTest(browser, showcase, output)
{
    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string>();
        foreach (var theme in new[] { "light", "dark" })
        {
            foreach (var path in new[]
            {
                "/signin", "/crm", "/crm?tab=inbox", "/crm?tab=field-mapping", "/settings/integrations", "/settings/integrations/hubspot",
                "/settings/integrations/salesforce", "/settings/integrations/pipedrive", "/settings/integrations/zoho",
                "/settings/integrations/reapit", "/settings/integrations/harbor", "/workflow", "/simulate",
                "/access-denied", "/gallery", "/settings/integrations/install/no-such-install",
            })
            {
                data.Add(path, theme);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_EachTheme_HasNoSeriousOrCriticalAxeViolations(string path, string theme)
    {
        // Arrange
        var (context, page) = await OpenAsync(1280, theme, role: path == "/signin" ? null : "owner");
        try
        {
            if (path == "/signin")
            {
                await page.GotoAsync("/signin");
            }
            else
            {
                await GotoAsync(page, path);
            }

            // Act
            var result = await page.RunAxe();

            // Assert
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            foreach (var violation in serious)
            {
                Output.WriteLine($"{violation.Impact} {violation.Id}: {violation.Help}");
                foreach (var node in violation.Nodes.Take(5))
                {
                    Output.WriteLine($"    {string.Join(" ", node.Target)}  {node.Html}");
                }
            }

            Assert.True(serious.Count == 0, $"{path} ({theme}): {string.Join(", ", serious.Select(v => $"{v.Id} ×{v.Nodes.Length}"))}");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
