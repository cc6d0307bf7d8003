using System.Net;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorRecordPageTests
{
    [Fact]
    public async Task RecordPage_StoredContact_Answers200WithTheRecord()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var id = fixture.Simulator.SeedContact("ada@example.test", "Ada", "Lovelace");
        using var browser = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var response = await browser.GetAsync($"/contacts/20260101/record/0-1/{id}");
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"data-record-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("ada@example.test", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordPage_UnknownRecord_Answers404Page()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var response = await browser.GetAsync("/contacts/20260101/record/0-1/999999");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Record not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
