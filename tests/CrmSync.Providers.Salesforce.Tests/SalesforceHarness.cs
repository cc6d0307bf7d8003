using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmSync.Providers.Salesforce.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>A host set up like production: SQLite file store, the Salesforce provider over real HTTP to the simulator, a fake clock.</summary>
internal sealed partial class SalesforceHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-a";
    public static readonly Uri RedirectUri = new("https://app.example.test/crm/callback");

    private SalesforceHarness(string directory, Action<SalesforceOptions>? configure, Action<SalesforceSimulatorOptions>? simulator, Action<CrmSyncOptions>? sync)
    {
        Directory = directory;
        var simulatorOptions = new SalesforceSimulatorOptions { TimeProvider = Time };
        simulator?.Invoke(simulatorOptions);
        Simulator = SalesforceSimulator.Start(simulatorOptions);
        ClientSecret = simulatorOptions.ClientSecret;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys")));
        services.AddCrmSync(o =>
            {
                o.EnableScheduler = false;
                sync?.Invoke(o);
            })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddSalesforce(o =>
            {
                o.ClientId = simulatorOptions.ClientId;
                o.ClientSecret = simulatorOptions.ClientSecret;
                o.LoginBaseAddress = Simulator.BaseUrl;
                o.MaxTransportRetries = 0;
                o.RequestBudget.MaxWait = TimeSpan.Zero;
                configure?.Invoke(o);
            });
        services.AddSingleton<ICrmSyncAlertSink>(Alerts);
        services.AddHttpClient(SalesforceCrmSyncBuilderExtensions.HttpClientName).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public SalesforceSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public RecordingAlertSink Alerts { get; } = new();

    /// <summary>The connected app's client secret the provider signs in with.</summary>
    public string ClientSecret { get; }

    /// <summary>Every access and refresh token that crossed the wire.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public SalesforceCrmProvider Provider => Services.GetRequiredService<SalesforceCrmProvider>();

    public ICrmSyncStore Store => Services.GetRequiredService<ICrmSyncStore>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static SalesforceHarness Create(Action<SalesforceOptions>? configure = null, Action<SalesforceSimulatorOptions>? simulator = null, Action<CrmSyncOptions>? sync = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-salesforce-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new SalesforceHarness(directory, configure, simulator, sync);
    }

    /// <summary>Signs in through the simulator's OAuth pages (state + PKCE), then chooses "skip existing".</summary>
    public async Task<CrmConnection> ConnectAsync(ConnectionSettings? settings = null)
    {
        var created = await Client.CreateConnectionAsync(Tenant, SalesforceCrmProvider.ProviderName, settings: settings);
        var authorize = await Client.BeginSignInAsync(Tenant, created.Id, RedirectUri);
        var (code, state) = await SignInAsync(authorize);
        await Client.CompleteSignInAsync(state, code);
        await Client.ChooseStartingPointAsync(Tenant, created.Id, StartingPoint.Skip);
        return await Client.GetConnectionAsync(Tenant, created.Id);
    }

    /// <summary>Plays the browser: opens the authorize page, clicks Allow and reads the redirect.</summary>
    public static async Task<(string Code, string State)> SignInAsync(Uri authorize)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorize);
        var allow = AllowLink().Match(page);
        Assert.True(allow.Success, "The simulator's sign-in page has no Allow link: " + page);
        using var redirect = await browser.GetAsync(new Uri(authorize, WebUtility.HtmlDecode(allow.Groups[1].Value)));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query);
        return (query["code"]!, query["state"]!);
    }

    public CrmProviderContext Context(Guid connectionId, ICrmCredentialAccessor credentials, ConnectionSettings? settings = null) =>
        new(Tenant, connectionId, null, settings ?? new ConnectionSettings(), credentials);

    public static CrmChange Contact(string id, string? email = null, string lastName = "Lovelace") => new(CrmObjectType.Contact, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = lastName,
        [CrmFieldNames.Email] = email ?? $"{id}@example.test",
        [CrmFieldNames.Company] = "Acme",
    });

    public static CrmChange Activity(CrmObjectType type, string id, string contactId) => new(type, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.Subject] = $"{type} {id}",
        [CrmFieldNames.Body] = "Talked about the renewal.",
        [CrmFieldNames.OccurredAt] = "2026-11-20T10:00:00Z",
        [CrmFieldNames.EndsAt] = "2026-11-20T10:30:00Z",
        [CrmFieldNames.DurationSeconds] = "330",
    })
    { ContactSourceId = contactId };

    /// <summary>
    /// Asserts that no token that crossed the wire, nor the client secret, appears in logs (message, exception, structured
    /// state and scopes of every record, Trace included), the sync log, alerts or the given texts.
    /// </summary>
    public async Task AssertNoSecretLeakedAsync(Guid connectionId, params string?[] texts)
    {
        Assert.NotEmpty(Secrets);
        var haystack = new List<string?>(texts);
        haystack.AddRange(Logs.GetSnapshot().Select(LogRecordText.Of));
        haystack.AddRange((await Client.GetSyncLogAsync(Tenant, connectionId, 1000)).Select(e => e.Error));
        haystack.AddRange(Alerts.Received.Select(a => a.Message));
        var connection = await Client.GetConnectionAsync(Tenant, connectionId);
        haystack.Add(connection.Status.ToString());
        haystack.Add(connection.State.ToString());
        foreach (var secret in Secrets.Distinct().Append(ClientSecret))
        {
            Assert.DoesNotContain(haystack, text => text is not null && text.Contains(secret, StringComparison.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Simulator.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [GeneratedRegex("id=\"allow\" href=\"([^\"]+)\"")]
    private static partial Regex AllowLink();
}
