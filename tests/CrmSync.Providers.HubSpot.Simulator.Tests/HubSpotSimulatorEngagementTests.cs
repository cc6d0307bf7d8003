using System.Net;
using System.Net.Http.Json;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorEngagementTests
{
    [Fact]
    public async Task CreateNote_WithContactAssociation_StoresAssociation()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var contact = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com"));
        var contactId = contact["id"]!.ToString();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/notes", new
        {
            properties = new { hs_timestamp = "2026-01-15T10:30:00Z", hs_note_body = "Called back", hubspot_owner_id = "1001" },
            associations = new[] { new { to = new { id = contactId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 202 } } } },
        });
        var note = Assert.Single(fixture.Simulator.GetRecords("notes"));

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Called back", note.Properties["hs_note_body"]);
        Assert.Equal("1001", note.OwnerId);
        Assert.Equal(new HubSpotSimulatedAssociation("contacts", contactId, "HUBSPOT_DEFINED", 202), Assert.Single(note.Associations));
    }

    [Fact]
    public async Task CreateNote_MissingTimestamp_Returns400RequiredField()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/notes", new { properties = new { hs_note_body = "x" } });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"name\":\"hs_timestamp\"", body["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("emails", 202)]
    [InlineData("calls", 198)]
    public async Task CreateEngagement_WrongAssociationTypeId_Returns400(string objectType, int typeId)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var contact = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com"));

        // Act
        var response = await fixture.Client.PostAsJsonAsync($"/crm/v3/objects/{objectType}", new
        {
            properties = new { hs_timestamp = "2026-01-15T10:30:00Z" },
            associations = new[] { new { to = new { id = contact["id"]!.ToString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = typeId } } } },
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(fixture.Simulator.GetRecords(objectType));
    }

    [Fact]
    public async Task BatchCreateCalls_OneInvalidDirection_Returns207()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/calls/batch/create", new
        {
            inputs = new[]
            {
                new { properties = new { hs_timestamp = "2026-01-15T10:30:00Z", hs_call_direction = "OUTBOUND", hs_call_duration = "330000" } },
                new { properties = new { hs_timestamp = "2026-01-15T10:30:00Z", hs_call_direction = "SIDEWAYS", hs_call_duration = "1" } },
            },
        });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal("INVALID_OPTION", body["errors"]![0]!["errors"]![0]!["code"]!.ToString());
        Assert.Single(fixture.Simulator.GetRecords("calls"));
    }

    [Fact]
    public async Task CreateMeeting_ValidProperties_Returns201()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/meetings", new
        {
            properties = new
            {
                hs_timestamp = "2026-01-15T10:00:00Z",
                hs_meeting_title = "Demo",
                hs_meeting_start_time = "2026-01-15T10:00:00Z",
                hs_meeting_end_time = "2026-01-15T10:30:00Z",
                hs_meeting_outcome = "SCHEDULED",
            },
        });

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Demo", Assert.Single(fixture.Simulator.GetRecords("meetings")).Properties["hs_meeting_title"]);
    }
}
