using System.Net;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public class ZohoSimulatorRecordPageTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task RecordPage_StoredContact_Answers200WithTheRecord()
    {
        // Arrange
        var id = Sut.SeedContact("Ada", "Lovelace", "ada@example.test");

        // Act
        var response = await Http.GetAsync(new Uri($"{Sut.GetCrmWebUrl(ZohoDataCenter.Eu)}/crm/tab/Contacts/{id}"));
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-record-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("ada@example.test", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordPage_UnknownRecord_Answers404Page()
    {
        // Act
        var response = await Http.GetAsync(new Uri($"{Sut.GetCrmWebUrl(ZohoDataCenter.Us)}/crm/tab/Contacts/123"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
