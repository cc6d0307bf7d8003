using System.Net;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public class PipedriveSimulatorRecordPageTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task PersonPage_StoredPerson_Answers200WithThePerson()
    {
        // Arrange
        var id = Sut.SeedPerson("Ada Lovelace", "ada@example.test");

        // Act
        var response = await Http.GetAsync($"/person/{id}");
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-record-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("Ada Lovelace", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonPage_UnknownPerson_Answers404Page()
    {
        // Act
        var response = await Http.GetAsync("/person/424242");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
