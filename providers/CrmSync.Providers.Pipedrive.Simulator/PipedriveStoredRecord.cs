using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator;

/// <summary>A snapshot of one record held by the simulator, for read-back in tests.</summary>
/// <param name="ObjectType">The object type: <c>persons</c>, <c>notes</c>, <c>activities</c>, <c>personFields</c> or <c>users</c>.</param>
/// <param name="Id">The record id as the API reports it.</param>
/// <param name="Properties">A deep copy of the record as the API would return it.</param>
/// <param name="CreatedAt">When the record was created (simulator clock).</param>
/// <param name="ModifiedAt">When the record was last changed (simulator clock).</param>
/// <param name="OwnerId">The owning user (<c>owner_id</c> or <c>user_id</c>), when the object has one.</param>
public sealed record PipedriveStoredRecord(
    string ObjectType,
    long Id,
    JsonObject Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    long? OwnerId);
