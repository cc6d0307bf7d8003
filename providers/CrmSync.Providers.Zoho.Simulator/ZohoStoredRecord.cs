using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator;

/// <summary>A snapshot of one record held by the simulator, for read-back in tests.</summary>
/// <param name="Module">The module API name: <c>Leads</c>, <c>Contacts</c>, <c>Notes</c>, <c>Calls</c>, <c>Events</c> or <c>users</c>.</param>
/// <param name="Id">The record id (a numeric string, as Zoho returns it).</param>
/// <param name="Fields">A deep copy of the record as <c>GET /crm/v8/{module}/{id}</c> would return it.</param>
/// <param name="CreatedAt">When the record was created (simulator clock).</param>
/// <param name="ModifiedAt">When the record was last changed (simulator clock).</param>
/// <param name="OwnerId">The id of the owning user, when the module has owners.</param>
public sealed record ZohoStoredRecord(
    string Module,
    string Id,
    JsonObject Fields,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    string? OwnerId);
