// A host app in one file: accept changes, sync them to a CRM, then show what the widgets would show.
// Runs against the in-memory CRM and a SQLite file: no accounts, no keys.
using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var crm = new InMemoryCrmProvider { DisplayName = "Demo CRM" };
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddCrmSync(o => o.ProductName = "Acme")
    .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), $"crmsync-console-{Environment.ProcessId}.db")}")
    .AddInMemoryProvider(crm);

using var host = builder.Build();
await host.StartAsync();
var sync = host.Services.GetRequiredService<CrmSyncClient>();

const string tenant = "acme-inc";
var connection = await sync.ConnectAsync(tenant, crm.Name, crm.IssueTokens(), "Acme Sales (demo)");
await sync.ChooseStartingPointAsync(tenant, connection.Id, StartingPoint.Skip);
await sync.SaveFieldMappingAsync(tenant, connection.Id, FieldMapping.Empty
    .With(FieldMappingEntry.Fixed("lead_source", "Acme"))
    .With(FieldMappingEntry.Template("description", "{{firstName}} from {{company}}")));

Console.WriteLine("Accepting 3 contacts and a call into the durable outbox...");
await sync.EnqueueAsync(tenant,
[
    new CrmChange(CrmObjectType.Contact, "c-1", new Dictionary<string, string?> { ["firstName"] = "Ada", ["lastName"] = "Lovelace", ["email"] = "ada@example.com", ["company"] = "Analytical Engines" }),
    new CrmChange(CrmObjectType.Contact, "c-2", new Dictionary<string, string?> { ["firstName"] = "Grace", ["lastName"] = "Hopper", ["email"] = "grace@example.com", ["company"] = "Navy" }),
    new CrmChange(CrmObjectType.Contact, "c-3", new Dictionary<string, string?> { ["firstName"] = "Alan", ["lastName"] = null, ["email"] = "alan@example.com" }),
    new CrmChange(CrmObjectType.Call, "call-1", new Dictionary<string, string?> { ["subject"] = "Discovery call", ["durationSeconds"] = "540" }) { ContactSourceId = "c-1" },
]);
crm.RequireContactField("lastName");

var run = await sync.SyncNowAsync(tenant, connection.Id);
Console.WriteLine($"Sync now: {run.Outcome} ({run.Synced} synced, {run.Skipped} skipped, {run.Failed} failed)");

var test = await sync.SendTestContactAsync(tenant, connection.Id);
var again = await sync.SendTestContactAsync(tenant, connection.Id);
Console.WriteLine($"Test contact: {test.CrmRecordId} in {test.Elapsed.TotalMilliseconds:F0} ms; second click {(again.Created ? "created a new record" : "updated the same record")} -> {again.RecordLink}");

var summary = await sync.GetLast24HoursAsync(tenant, connection.Id);
Console.WriteLine($"Last 24 hours: {summary.Synced} synced, {summary.WaitingOrSkipped} waiting or skipped, {summary.Failed} failed");
foreach (var problem in summary.Problems)
{
    Console.WriteLine($"  {problem.Explanation.Title} ({problem.Count}): {problem.Explanation.Explanation} {problem.Explanation.Fix}");
}

Console.WriteLine("Sync log:");
foreach (var entry in await sync.GetSyncLogAsync(tenant, connection.Id, 10))
{
    Console.WriteLine($"  {entry.At:HH:mm:ss} {entry.EventType,-16} {entry.RecordsAffected,3} records  {entry.Outcome}{(entry.Error is null ? "" : "  " + entry.Error)}");
}

var status = (await sync.GetConnectionAsync(tenant, connection.Id)).Status;
Console.WriteLine($"Status: {status.Status}, health {status.Health}, success rate {status.SuccessRate:P0}");
Console.WriteLine($"CRM now holds {crm.Records.Count} records: {string.Join(", ", crm.Records.Select(r => $"{r.ObjectType} {r.ExternalId}"))}");
await host.StopAsync();
