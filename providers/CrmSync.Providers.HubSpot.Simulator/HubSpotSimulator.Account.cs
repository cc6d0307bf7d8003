using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <content>The account information API: <c>GET /account-info/v3/details</c> (and the date-versioned path).</content>
public sealed partial class HubSpotSimulator
{
    /// <summary>
    /// Answers <c>GET /account-info/{v3|yyyy-mm}/details</c> with the account's id, time zone and currency, as HubSpot documents it.
    /// It needs the <c>oauth</c> scope, which HubSpot adds to every app, so any valid token may call it.
    /// </summary>
    private SimulatorResponse HandleAccountInfo(SimulatorRequest request)
    {
        var authFailure = Authenticate(request, out _, out _);
        if (authFailure is not null)
        {
            return authFailure;
        }

        if (request.Method != "GET" || request.Segments is not ["account-info", _, "details"])
        {
            return NotFound();
        }

        var now = _time.GetUtcNow();
        var offset = _options.AccountTimeZone.GetUtcOffset(now);
        return SimulatorResponse.Json(200, new JsonObject
        {
            ["portalId"] = _options.HubId,
            ["accountType"] = "STANDARD",
            ["timeZone"] = _options.AccountTimeZone.Id,
            ["companyCurrency"] = "USD",
            ["additionalCurrencies"] = new JsonArray(),
            ["utcOffset"] = (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture),
            ["utcOffsetMilliseconds"] = (long)offset.TotalMilliseconds,
            ["uiDomain"] = "app.hubspot.com",
            ["dataHostingLocation"] = "na1",
        });
    }
}
