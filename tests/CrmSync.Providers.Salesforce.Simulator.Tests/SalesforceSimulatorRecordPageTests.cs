using System.Net;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

public class SalesforceSimulatorRecordPageTests
{
    [Fact]
    public async Task RecordPage_StoredContact_Answers200WithTheRecord()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        var id = fixture.Simulator.SeedContact("Lovelace", "Ada", "ada@example.test");
        using var browser = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var response = await browser.GetAsync($"/lightning/r/Contact/{id}/view");
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-record-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("ada@example.test", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordPage_UnknownRecord_Answers404Page()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var browser = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var response = await browser.GetAsync("/lightning/r/Contact/003000000000000AAA/view");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
