using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

/// <summary>Starts a simulator on a fake clock and an authenticated HttpClient for one test.</summary>
internal sealed class SalesforceSimulatorFixture : IDisposable
{
    public const string Api = "/services/data/v62.0";

    public SalesforceSimulatorFixture(Action<SalesforceSimulatorOptions>? configure = null)
    {
        // These tests write by the external-id field directly, so the org has it (a new org does not: see the metadata tests).
        var options = new SalesforceSimulatorOptions { TimeProvider = Time, ExternalIdFieldExists = true };
        configure?.Invoke(options);
        Simulator = SalesforceSimulator.Start(options);
        Client = new HttpClient { BaseAddress = Simulator.BaseUrl };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Simulator.IssueAccessToken());
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));

    public SalesforceSimulator Simulator { get; }

    public HttpClient Client { get; }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public Task<HttpResponseMessage> UpsertContactAsync(string extId, object body) =>
        Client.PatchAsJsonAsync($"{Api}/sobjects/Contact/CrmSync_External_Id__c/{extId}", body);

    public void Dispose()
    {
        Client.Dispose();
        Simulator.Dispose();
    }
}
