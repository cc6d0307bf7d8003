using System.Text.RegularExpressions;
using CrmSync.Simulation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>The Lightning record page, <c>{instance}/lightning/r/{sObject}/{id}/view</c>, where deep links land.</content>
public sealed partial class SalesforceSimulator
{
    private static readonly Regex RecordPagePath = new("^/lightning/r/([A-Za-z_]+)/([^/]+)/view/?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private void MapRecordPage() =>
        _server
            .Given(Request.Create().UsingGet().WithPath(path => RecordPagePath.IsMatch(path)))
            .WithTitle("Salesforce record page")
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var match = RecordPagePath.Match(SimulatorHttp.Path(request));
                var type = NormalizeObjectType(match.Groups[1].Value);
                var id = Uri.UnescapeDataString(match.Groups[2].Value);
                var record = type is null ? null : GetRecords(type).FirstOrDefault(r => r.Id == id);
                return (record is null
                    ? SimulatorRecordPage.Missing("Salesforce", type ?? match.Groups[1].Value, id)
                    : SimulatorRecordPage.Found("Salesforce", type!, id, record.Properties)).ToResponseMessage();
            }));
}
