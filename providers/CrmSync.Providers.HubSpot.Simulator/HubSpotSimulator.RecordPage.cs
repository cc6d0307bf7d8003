using System.Text.RegularExpressions;
using CrmSync.Simulation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <content>The web app's record page, <c>app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{id}</c>, where deep links land.</content>
public sealed partial class HubSpotSimulator
{
    private static readonly Regex RecordPagePath = new("^/contacts/[^/]+/record/([0-9]+-[0-9]+)/([^/]+)/?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private void MapRecordPage() =>
        _server
            .Given(Request.Create().UsingGet().WithPath(path => RecordPagePath.IsMatch(path)))
            .WithTitle("HubSpot record page")
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var match = RecordPagePath.Match(SimulatorHttp.Path(request));
                var type = NormalizeObjectType(match.Groups[1].Value);
                var id = Uri.UnescapeDataString(match.Groups[2].Value);
                var label = type is null ? "Record" : char.ToUpperInvariant(Singular(type)[0]) + Singular(type)[1..];
                var record = type is null ? null : GetRecords(type).FirstOrDefault(r => r.Id == id && !r.Archived);
                return (record is null
                    ? SimulatorRecordPage.Missing("HubSpot", label, id)
                    : SimulatorRecordPage.Found("HubSpot", label, id, record.Properties)).ToResponseMessage();
            }));
}
