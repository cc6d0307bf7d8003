using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Zoho.Simulator.Internal;
using CrmSync.Simulation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>The web app's record page, <c>crm.zoho.{tld}/crm/tab/{Module}/{id}</c>, where deep links land.</content>
public sealed partial class ZohoSimulator
{
    private static readonly Regex RecordPagePath = new(@"^/crm\.zoho\.([a-z.]+)/crm/tab/([A-Za-z_]+)/([0-9]+)/?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Gets the simulated web app of a data centre, e.g. <c>{BaseUrl}crm.zoho.eu</c>, standing for <c>https://crm.zoho.{tld}</c>, where record pages live.</summary>
    /// <param name="dataCenter">The data centre.</param>
    /// <returns>The URL.</returns>
    public Uri GetCrmWebUrl(ZohoDataCenter dataCenter) => new(BaseUrl + "crm.zoho." + ZohoDomains.Tld(dataCenter));

    private void MapRecordPage() =>
        _server
            .Given(Request.Create().UsingGet().WithPath(path => RecordPagePath.IsMatch(path)))
            .AtPriority(5)
            .WithTitle("Zoho CRM record page")
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var match = RecordPagePath.Match(SimulatorHttp.Path(request));
                var module = match.Groups[2].Value;
                var id = match.Groups[3].Value;
                ZohoStoredRecord? record;
                try
                {
                    record = GetRecords(module).FirstOrDefault(r => r.Id == id);
                }
                catch (ArgumentException)
                {
                    record = null;
                }

                return (record is null
                    ? SimulatorRecordPage.Missing("Zoho CRM", module, id)
                    : SimulatorRecordPage.Found("Zoho CRM", module, id, Flatten(record.Fields))).ToResponseMessage();
            }));

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(JsonObject record) =>
        record.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value switch
        {
            null => null,
            JsonValue v => v.ToString(),
            _ => p.Value.ToJsonString(),
        }));
}
