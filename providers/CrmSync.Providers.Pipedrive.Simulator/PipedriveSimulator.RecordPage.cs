using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Simulation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CrmSync.Providers.Pipedrive.Simulator;

/// <content>The web app's person page, <c>{company}.pipedrive.com/person/{id}</c>, where deep links land.</content>
public sealed partial class PipedriveSimulator
{
    private static readonly Regex RecordPagePath = new("^/person/([0-9]+)/?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private void MapRecordPage() =>
        _server
            .Given(Request.Create().UsingGet().WithPath(path => RecordPagePath.IsMatch(path)))
            .AtPriority(5)
            .WithTitle("Pipedrive person page")
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var id = RecordPagePath.Match(SimulatorHttp.Path(request)).Groups[1].Value;
                var person = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? GetRecords("persons").FirstOrDefault(p => p.Id == number && p.Properties["is_deleted"]?.GetValue<bool>() != true)
                    : null;
                return (person is null
                    ? SimulatorRecordPage.Missing("Pipedrive", "Person", id)
                    : SimulatorRecordPage.Found("Pipedrive", "Person", id, Flatten(person.Properties))).ToResponseMessage();
            }));

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(JsonObject record) =>
        record.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value switch
        {
            null => null,
            JsonValue v => v.ToString(),
            _ => p.Value.ToJsonString(),
        }));
}
