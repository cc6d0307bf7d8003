using System.Diagnostics.Metrics;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CrmSync.Sdk.Sqlite.Tests;

public class TelemetryTests
{
    [Fact]
    public async Task SyncNowAsync_RecordsAndRuns_AreCountedOnCrmSyncMeterWithoutSecrets()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var meterFactory = h.Services.GetRequiredService<IMeterFactory>();
        using var records = new MetricCollector<long>(meterFactory, CrmSyncTelemetry.Name, CrmSyncTelemetry.RecordsInstrument);
        using var runs = new MetricCollector<long>(meterFactory, CrmSyncTelemetry.Name, CrmSyncTelemetry.RunsInstrument);
        using var enqueued = new MetricCollector<long>(meterFactory, CrmSyncTelemetry.Name, CrmSyncTelemetry.EnqueuedInstrument);
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);

        // Act
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("a"), SyncHarness.Contact("b"), SyncHarness.Contact("c", lastName: null)]);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(3, enqueued.GetMeasurementSnapshot().EvaluateAsCounter());
        var snapshot = records.GetMeasurementSnapshot();
        Assert.Equal(2, snapshot.Where(m => (string?)m.Tags["crmsync.outcome"] == "synced").Sum(m => m.Value));
        Assert.Equal(1, snapshot.Where(m => (string?)m.Tags["crmsync.outcome"] == "failed").Sum(m => m.Value));
        var run = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal("Warning", run.Tags["crmsync.outcome"]);
        Assert.Equal("inmemory", run.Tags["crmsync.provider"]);
        Assert.All(snapshot.SelectMany(m => m.Tags.Values), v => Assert.DoesNotContain("at-", v?.ToString() ?? string.Empty, StringComparison.Ordinal));
    }
}
