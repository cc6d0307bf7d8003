using Bunit.TestDoubles;
using CrmSync.Sdk.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Widgets.Tests;

/// <summary>
/// A bUnit context wired to a real <see cref="CrmSyncClient"/>: SQLite store in a temp file, an <see cref="InMemoryCrmProvider"/>,
/// a <see cref="FakeTimeProvider"/>, the widget kit, and an authorized user with the role "owner" (change it with <see cref="Auth"/>).
/// JSInterop stays strict, so any JS call fails the test.
/// </summary>
public abstract class WidgetTestBase : BunitContext, IAsyncLifetime
{
    protected const string Tenant = "tenant-a";

    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"crmsync-widgets-{Guid.NewGuid():N}.db");

    protected WidgetTestBase()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        Provider = new InMemoryCrmProvider("inmemory", timeProvider: Time) { DisplayName = "HubSpot" };
        Zoho = new InMemoryCrmProvider("zoho", new CrmProviderCapabilities
        {
            MaxBatchSize = 100,
            NativeUpsert = true,
            CanListUsers = false,
            RecordDeepLinks = true,
            OAuth = true,
            Datacenters = [new("us", "United States"), new("eu", "Europe"), new("in", "India"), new("au", "Australia"), new("jp", "Japan")],
        }, Time) { DisplayName = "Zoho CRM" };
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddCrmSync(o => o.EnableScheduler = false)
            .UseSqlite($"Data Source={_dbPath}")
            .AddInMemoryProvider(Provider)
            .AddProvider(Zoho)
            .AddHostRecordSource<TestHostRecordSource>();
        Services.AddCrmSyncWidgets(o => o.RefreshInterval = TimeSpan.FromSeconds(30));
        Auth = AddAuthorization();
        Auth.SetAuthorized("ada");
        Auth.SetRoles("owner");
    }

    protected FakeTimeProvider Time { get; }

    protected InMemoryCrmProvider Provider { get; }

    protected InMemoryCrmProvider Zoho { get; }

    protected BunitAuthorizationContext Auth { get; }

    protected CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public async Task InitializeAsync() => await Services.GetRequiredService<ICrmSyncStore>().InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_dbPath + suffix);
        }
    }

    /// <summary>Creates a connected connection whose starting point is chosen (status Active).</summary>
    protected async Task<CrmConnection> ConnectAsync(string tenant = Tenant, StartingPoint startingPoint = StartingPoint.Skip, string account = "Acme Sales")
    {
        var connection = await Client.ConnectAsync(tenant, Provider.Name, Provider.IssueTokens(), account);
        if (startingPoint != StartingPoint.NotChosen)
        {
            await Client.ChooseStartingPointAsync(tenant, connection.Id, startingPoint);
        }

        return await Client.GetConnectionAsync(tenant, connection.Id);
    }

    /// <summary>Accepts one contact change for the tenant.</summary>
    protected Task<EnqueueResult> EnqueueContactAsync(string sourceId, string? email = null, string tenant = Tenant) =>
        Client.EnqueueAsync(tenant, new CrmChange(CrmObjectType.Contact, sourceId, new Dictionary<string, string?>
        {
            [CrmFieldNames.Email] = email ?? $"{sourceId}@example.com",
            [CrmFieldNames.FirstName] = "Grace",
            [CrmFieldNames.LastName] = sourceId,
        }));

    /// <summary>Waits until the widget finished loading (no loading placeholder left).</summary>
    protected static void WaitLoaded<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-loading")), TimeSpan.FromSeconds(5));
}
