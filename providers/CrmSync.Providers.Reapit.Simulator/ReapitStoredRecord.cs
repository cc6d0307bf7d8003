using System.Text.Json.Nodes;

namespace CrmSync.Providers.Reapit.Simulator;

/// <summary>A snapshot of a record the simulator holds.</summary>
/// <param name="Kind"><c>contacts</c>, <c>applicants</c>, <c>negotiators</c> or <c>journalEntries</c>.</param>
/// <param name="Id">The record id.</param>
/// <param name="Customer">The customer the record belongs to.</param>
/// <param name="Data">The record as the API returns it (without <c>_links</c>).</param>
public sealed record ReapitStoredRecord(string Kind, string Id, string Customer, JsonObject Data);
