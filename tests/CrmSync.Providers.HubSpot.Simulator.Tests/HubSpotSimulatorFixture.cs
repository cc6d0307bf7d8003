using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

/// <summary>Starts a simulator on a fake clock and an authenticated HttpClient for one test.</summary>
internal sealed class HubSpotSimulatorFixture : IDisposable
{
    public HubSpotSimulatorFixture(Action<HubSpotSimulatorOptions>? configure = null)
    {
        var options = new HubSpotSimulatorOptions { TimeProvider = Time };
        configure?.Invoke(options);
        Simulator = HubSpotSimulator.Start(options);
        Client = new HttpClient { BaseAddress = Simulator.BaseUrl };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Simulator.IssueAccessToken());
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));

    public HubSpotSimulator Simulator { get; }

    public HttpClient Client { get; }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    public Task<HttpResponseMessage> CreateContactAsync(string email, string? firstName = "Ann") =>
        Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { email, firstname = firstName } });

    public Task<HttpResponseMessage> CreateExternalIdPropertyAsync(string name = "crm_sync_ext_id") =>
        Client.PostAsJsonAsync("/crm/v3/properties/contacts", new
        {
            name,
            label = "CrmSync external id",
            type = "string",
            fieldType = "text",
            groupName = "contactinformation",
            hasUniqueValue = true,
        });

    public void Dispose()
    {
        Client.Dispose();
        Simulator.Dispose();
    }
}
