using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 7: import N closed-lost deals (default 200,000) from the in-memory CRM, in keyset pages of 200, into the SQLite
/// import inbox, then approve them all and deliver them to a host sink that keeps nothing. Prints records per second per
/// phase and, when 20k (N/10) and 200k (N) records have been read, the peak managed heap over the baseline seen by
/// <see cref="PeakMemorySampler"/> (which includes garbage not yet collected) and the live heap after a full collection.
/// The CRM's own records are seeded before the baseline, so the figures are what the importer and inbox hold: they must
/// stay flat as the import grows.
/// </summary>
public static class ImportScenario
{
    private const int PageSize = 200;

    public static async Task<string> RunAsync(int records, CancellationToken cancellationToken)
    {
        var size = records > 0 ? records : 200_000;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync import benchmark ({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {size:N0} deals, pages of {PageSize})");
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var crm = new InMemoryCrmProvider(capabilities: new CrmProviderCapabilities { MaxBatchSize = 100, NativeUpsert = true }) { FetchPageSize = PageSize };
            var provider = new CheckpointProvider(crm, [size / 10, size]);
            var sink = new CountingSink();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            services.AddCrmSync(o =>
            {
                o.EnableScheduler = false;
                o.Import.PageSize = PageSize;
            })
                .UseSqlite($"Data Source={Path.Combine(directory, "bench.db")}")
                .AddProvider(provider)
                .AddImportSink(sink);
            await using var sp = services.BuildServiceProvider();
            var client = sp.GetRequiredService<CrmSyncClient>();
            var imports = sp.GetRequiredService<CrmImportClient>();
            var actor = CrmImportActor.Create("bench-admin", "admin");
            var connection = await client.ConnectAsync("bench", provider.Name, crm.IssueTokens(), settings: new ConnectionSettings { Direction = SyncDirection.Fetch }, cancellationToken: cancellationToken);
            crm.Seed(Generate(size));

            await using var memory = new PeakMemorySampler();
            provider.Memory = memory;
            var total = Stopwatch.StartNew();
            var run = await imports.StartImportAsync(actor, "bench", connection.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Deal }, cancellationToken: cancellationToken);
            var importSeconds = total.Elapsed.TotalSeconds;
            if (run.Status != CrmImportRunStatus.Completed || run.Added != size)
            {
                throw new InvalidOperationException($"Import stopped: {run.Status}, {run.Added} of {size} added. {run.Error}");
            }

            var approve = Stopwatch.StartNew();
            var decision = await imports.ApproveAllAsync(actor, "bench", connection.Id, cancellationToken);
            var approveSeconds = approve.Elapsed.TotalSeconds;
            if (decision.Decided != size || sink.Count != size)
            {
                throw new InvalidOperationException($"Approval stopped: {decision.Decided} decided, {sink.Count} delivered of {size}. {decision.DeliveryError}");
            }

            memory.Sample();
            var endPeak = memory.Peak - memory.Baseline;
            var endLive = GC.GetTotalMemory(forceFullCollection: true) - memory.Baseline;
            report.AppendLine(CultureInfo.InvariantCulture, $"import: {size:N0} records in {run.Pages:N0} pages, {size / importSeconds:N0} rec/s");
            report.AppendLine(CultureInfo.InvariantCulture, $"approve all + deliver to sink: {size / approveSeconds:N0} rec/s");
            report.AppendLine(CultureInfo.InvariantCulture, $"end to end: {size / total.Elapsed.TotalSeconds:N0} rec/s");
            report.AppendLine("records read   peak heap over baseline   live heap over baseline (after full GC)");
            foreach (var (at, peak, live) in provider.Checkpoints)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"{at,12:N0} {Mib(peak),21:N1} MiB {Mib(live),25:N1} MiB");
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"{"+ approval",12} {Mib(endPeak),21:N1} MiB {Mib(endLive),25:N1} MiB");
            return report.ToString();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Mib(long bytes) => bytes / 1024.0 / 1024.0;

    private static IEnumerable<CrmFetchedRecord> Generate(int size)
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var companies = Enumerable.Range(0, 1_000).Select(i => new CrmFetchedCompany { CrmId = "co" + i.ToString(CultureInfo.InvariantCulture), Name = $"Company {i}", Domain = $"company{i}.example" }).ToArray();
        for (var i = 0; i < size; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            yield return new CrmFetchedRecord
            {
                ObjectType = CrmFetchObjectType.Deal,
                CrmId = "deal-" + id,
                Name = "Deal " + id,
                Stage = "closedlost",
                DealStatus = CrmDealStatus.ClosedLost,
                OwnerId = "owner-" + (i % 25).ToString(CultureInfo.InvariantCulture),
                CreatedAt = start.AddMinutes(i),
                ModifiedAt = start.AddMinutes(i).AddSeconds(30),
                Fields = new Dictionary<string, string?> { ["amount"] = (i % 9_000 + 1_000).ToString(CultureInfo.InvariantCulture) },
                Company = companies[i % companies.Length],
            };
        }
    }

    /// <summary>The in-memory CRM, noting the heap when the records read so far cross a checkpoint.</summary>
    private sealed class CheckpointProvider(InMemoryCrmProvider inner, int[] checkpoints) : ICrmProvider, ICrmFetchProvider
    {
        private long _read;
        private int _next;

        public PeakMemorySampler? Memory { get; set; }

        public List<(long At, long Peak, long Live)> Checkpoints { get; } = [];

        public string Name => inner.Name;

        public string DisplayName => inner.DisplayName;

        public CrmProviderCapabilities Capabilities => inner.Capabilities;

        public CrmFetchCapabilities FetchCapabilities => inner.FetchCapabilities;

        public Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default) => inner.CountAsync(context, filter, cancellationToken);

        public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
        {
            var page = await inner.FetchPageAsync(context, request, cancellationToken);
            _read += page.Records.Count;
            while (Memory is { } m && _next < checkpoints.Length && _read >= checkpoints[_next])
            {
                m.Sample();
                var peak = m.Peak - m.Baseline;
                Checkpoints.Add((_read, peak, GC.GetTotalMemory(forceFullCollection: true) - m.Baseline));
                _next++;
            }

            return page;
        }

        public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default) => inner.UpsertAsync(context, records, cancellationToken);

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) => inner.GetUsersAsync(context, cancellationToken);

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => inner.GetRecordLink(context, objectType, crmRecordId);
    }

    /// <summary>A host sink that counts and keeps nothing.</summary>
    private sealed class CountingSink : ICrmImportSink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _count, delivery.Records.Count);
            return Task.CompletedTask;
        }
    }
}
