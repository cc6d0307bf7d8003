using CrmSync.Sdk;
using CrmSync.Sdk.Testing;

namespace CrmSync.Samples.Docs;

/// <summary>The code of sdk/CrmSync.Sdk.Testing/README.md and docs/concepts.md.</summary>
public static class Testing
{
    public static async Task HostTestAsync(string tempFile, TimeProvider fakeTime)
    {
        #region Snippet:InMemoryProvider
        var crm = new InMemoryCrmProvider(timeProvider: fakeTime);
        var services = new ServiceCollection();
        services.AddSingleton(fakeTime);
        services.AddCrmSync(o => o.EnableScheduler = false)
            .UseSqlite($"Data Source={tempFile}")
            .AddInMemoryProvider(crm);
        await using var sp = services.BuildServiceProvider();
        var sync = sp.GetRequiredService<CrmSyncClient>();

        var connection = await sync.ConnectAsync("tenant-1", crm.Name, crm.IssueTokens());
        await sync.ChooseStartingPointAsync("tenant-1", connection.Id, StartingPoint.Skip);
        crm.RequireContactField(CrmFieldNames.LastName);     // per-record failures
        crm.RateLimitNextCalls(1, TimeSpan.FromSeconds(10)); // a wait, not a failure
        await sync.EnqueueAsync("tenant-1", new CrmChange(CrmObjectType.Contact, "c1", new Dictionary<string, string?> { [CrmFieldNames.LastName] = "Lovelace" }));
        await sync.SyncNowAsync("tenant-1", connection.Id);
        #endregion
    }

    public static ConnectionStatusReport Status(ConnectionState facts, DateTimeOffset now)
    {
        #region Snippet:Classifier
        var report = ConnectionStatusClassifier.Classify(facts, recentRuns: [], now, new StatusRules { StaleAfter = TimeSpan.FromHours(36) });
        #endregion
        return report;
    }
}
