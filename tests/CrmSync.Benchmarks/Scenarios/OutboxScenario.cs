using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 3: enqueue and drain N changes through the real engine and SQLite store.
/// Prints records per second and the peak managed heap at 10k and 100k, once with the in-memory CRM
/// (which itself keeps every record) and once with a CRM that keeps nothing, so the engine's own memory shows.
/// </summary>
public static class OutboxScenario
{
    public static async Task<string> RunAsync(int records, CancellationToken cancellationToken)
    {
        var report = new StringBuilder();
        var sizes = records > 0 ? [records] : new[] { 10_000, 100_000 };
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync outbox benchmark ({Environment.ProcessorCount} cores, {RuntimeInformationText()})");
        report.AppendLine("crm            records   enqueue rec/s   drain rec/s   end-to-end rec/s   peak heap over baseline");
        foreach (var keepRecords in new[] { true, false })
        {
            foreach (var size in sizes)
            {
                var r = await RunOnceAsync(size, keepRecords, cancellationToken);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"{(keepRecords ? "in-memory" : "discarding"),-12} {size,9:N0} {r.EnqueueRate,15:N0} {r.DrainRate,13:N0} {r.TotalRate,18:N0} {r.PeakBytes / 1024.0 / 1024.0,17:N1} MiB");
            }
        }

        return report.ToString();
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static async Task<(double EnqueueRate, double DrainRate, double TotalRate, long PeakBytes)> RunOnceAsync(int size, bool keepRecords, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var provider = keepRecords ? (ICrmProvider)new InMemoryCrmProvider(capabilities: new CrmProviderCapabilities { MaxBatchSize = 100, NativeUpsert = true }) : new DiscardingProvider();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            services.AddCrmSync(o => o.EnableScheduler = false)
                .UseSqlite($"Data Source={Path.Combine(directory, "bench.db")}")
                .AddProvider(provider);
            await using var sp = services.BuildServiceProvider();
            var client = sp.GetRequiredService<CrmSyncClient>();
            var connection = await client.ConnectAsync("bench", provider.Name, new CrmCredentials { ApiKey = "bench-key" }, cancellationToken: cancellationToken);
            await client.ChooseStartingPointAsync("bench", connection.Id, StartingPoint.Skip, cancellationToken);
            await sp.GetRequiredService<ICrmSyncStore>().InitializeAsync(cancellationToken);

            await using var memory = new PeakMemorySampler();
            var total = Stopwatch.StartNew();
            const int chunk = 1_000;
            for (var offset = 0; offset < size; offset += chunk)
            {
                var changes = new List<CrmChange>(chunk);
                for (var i = offset; i < Math.Min(size, offset + chunk); i++)
                {
                    changes.Add(new CrmChange(CrmObjectType.Contact, "c" + i.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string?>
                    {
                        ["email"] = $"c{i}@example.test",
                        ["firstName"] = "Ada",
                        ["lastName"] = "Lovelace",
                    }));
                }

                await client.EnqueueAsync("bench", changes, cancellationToken);
            }

            var enqueueSeconds = total.Elapsed.TotalSeconds;
            var drain = Stopwatch.StartNew();
            var synced = 0;
            while (synced < size)
            {
                var run = await client.SyncNowAsync("bench", connection.Id, cancellationToken);
                if (run.Synced == 0)
                {
                    throw new InvalidOperationException($"Drain stalled after {synced} records: {run.Message}");
                }

                synced += run.Synced;
            }

            var drainSeconds = drain.Elapsed.TotalSeconds;
            memory.Sample();
            return (size / enqueueSeconds, size / drainSeconds, size / total.Elapsed.TotalSeconds, memory.Peak - memory.Baseline);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A CRM that accepts everything and keeps nothing: isolates the engine's own cost.</summary>
    private sealed class DiscardingProvider : ICrmProvider
    {
        private long _next;

        public string Name => "discarding";

        public string DisplayName => "Discarding CRM";

        public CrmProviderCapabilities Capabilities { get; } = new() { MaxBatchSize = 100, NativeUpsert = true };

        public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
        {
            var results = new CrmRecordResult[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                results[i] = CrmRecordResult.Success(records[i].ExternalId, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture), created: true);
            }

            return Task.FromResult<IReadOnlyList<CrmRecordResult>>(results);
        }

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<CrmUser>>([]);

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => null;
    }
}
