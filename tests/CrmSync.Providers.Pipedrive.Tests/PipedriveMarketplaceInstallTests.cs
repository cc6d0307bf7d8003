using System.Net;
using System.Text.RegularExpressions;
using CrmSync.Sdk;
using LogRecordText = CrmSync.TestUtils.LogRecordText;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>
/// Installs that start on the Pipedrive Marketplace come back with a code and no <c>state</c>: they are held for the signed-in
/// user's tenant and connect only when that user confirms, never by a guessed state.
/// </summary>
public sealed partial class PipedriveMarketplaceInstallTests
{
    private const string OtherTenant = "tenant-b";

    [Fact]
    public async Task BeginInstallAsync_CodeWithoutState_HoldsTheTokensUntilTheSignedInTenantConfirms()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var code = await InstallFromMarketplaceAsync(h);

        // Act
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, code, PipedriveHarness.RedirectUri);
        var shown = await h.Client.GetPendingInstallAsync(PipedriveHarness.Tenant, pending.Id);
        var before = await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant);
        var connection = await h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id);

        // Assert: nothing connected before the confirmation; then one connection, asking for a starting point like any first connect.
        Assert.Empty(before);
        Assert.Equal("Pipedrive", shown!.DisplayName);
        Assert.Contains("acme", shown.AccountLabel, StringComparison.Ordinal);
        Assert.NotNull(connection);
        Assert.Equal(shown.AccountLabel, connection.AccountLabel);
        Assert.True(connection.Checklist.Connected);
        Assert.Equal(ConnectionStatus.SetupIncomplete, connection.Status.Status);
        Assert.Equal(StatusReasonKind.StartingPointNotChosen, connection.Status.ReasonKind);
        Assert.Single(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
    }

    [Fact]
    public async Task ConfirmInstallAsync_Confirmed_SyncsThroughTheInstalledTokens()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);
        var connection = (await h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id))!;
        await h.Client.ChooseStartingPointAsync(PipedriveHarness.Tenant, connection.Id, StartingPoint.Skip);
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, PipedriveHarness.Contact("c-1"));

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Single(h.Sim.GetRecords("persons"));
    }

    [Fact]
    public async Task ConfirmInstallAsync_AnotherTenant_RefusedAndNothingConnectedAnywhere()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);

        // Act
        var seen = await h.Client.GetPendingInstallAsync(OtherTenant, pending.Id);
        var refused = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.ConfirmInstallAsync(OtherTenant, pending.Id));

        // Assert: the other tenant neither sees nor gets it, and the install is used up rather than left to try again.
        Assert.Null(seen);
        Assert.Contains("unknown, already finished or expired", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Client.GetConnectionsAsync(OtherTenant));
        Assert.Empty(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
        await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id));
    }

    [Fact]
    public async Task ConfirmInstallAsync_Declined_DiscardsTheTokens()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);

        // Act
        var declined = await h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id, confirm: false);

        // Assert
        Assert.Null(declined);
        Assert.Empty(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
        Assert.Null(await h.Client.GetPendingInstallAsync(PipedriveHarness.Tenant, pending.Id));
    }

    [Fact]
    public async Task ConfirmInstallAsync_AfterFifteenMinutes_RefusedAsExpired()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);
        h.Time.Advance(TimeSpan.FromMinutes(16));

        // Act
        var expired = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id));

        // Assert
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
    }

    [Fact]
    public async Task ConfirmInstallAsync_TenantHasAnAbandonedSetup_ConnectsThatOneInsteadOfAddingAnother()
    {
        // Arrange: a Pipedrive setup begun in the product and abandoned at the sign-in.
        await using var h = PipedriveHarness.Create();
        var abandoned = await h.Client.CreateConnectionAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName);
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);

        // Act
        var connection = await h.Client.ConfirmInstallAsync(PipedriveHarness.Tenant, pending.Id);

        // Assert
        Assert.Equal(abandoned.Id, connection!.Id);
        Assert.Single(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
    }

    [Fact]
    public async Task BeginInstallAsync_ProviderWithoutOAuthApp_RefusedNamingWhereToStart()
    {
        // Arrange: no OAuth app configured, so Pipedrive connects with API tokens only and no install can arrive.
        await using var h = PipedriveHarness.Create(provider: o =>
        {
            o.ClientId = string.Empty;
            o.ClientSecret = string.Empty;
        });

        // Act
        var refused = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, "any-code", PipedriveHarness.RedirectUri));

        // Assert
        Assert.Contains("Pipedrive sign-ins must start from SalesHive", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Client.GetConnectionsAsync(PipedriveHarness.Tenant));
    }

    [Fact]
    public async Task CompleteSignInAsync_StateBegunInAnotherTenant_RefusedAndTheConnectionStaysUnconnected()
    {
        // Arrange: tenant A begins a sign-in; its link is completed by a user signed in to tenant B.
        await using var h = PipedriveHarness.Create();
        var connection = await h.Client.CreateConnectionAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName);
        var authorize = await h.Client.BeginSignInAsync(PipedriveHarness.Tenant, connection.Id, PipedriveHarness.RedirectUri);
        var (code, state) = await PipedriveHarness.FollowConsentAsync(authorize, "allow");

        // Act
        var refused = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CompleteSignInAsync(OtherTenant, state, code, new Dictionary<string, string>()));

        // Assert
        Assert.Contains("started in another workspace", refused.Message, StringComparison.Ordinal);
        Assert.False((await h.Client.GetConnectionAsync(PipedriveHarness.Tenant, connection.Id)).Checklist.Connected);
        await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CompleteSignInAsync(PipedriveHarness.Tenant, state, code, new Dictionary<string, string>()));
    }

    [Fact]
    public async Task CompleteSignInAsync_SameTenant_Connects()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.Client.CreateConnectionAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName);
        var (code, state) = await PipedriveHarness.FollowConsentAsync(await h.Client.BeginSignInAsync(PipedriveHarness.Tenant, connection.Id, PipedriveHarness.RedirectUri), "allow");

        // Act
        var connected = await h.Client.CompleteSignInAsync(PipedriveHarness.Tenant, state, code, new Dictionary<string, string>());

        // Assert
        Assert.True(connected.Checklist.Connected);
    }

    [Fact]
    public async Task MarketplaceInstall_Always_KeepsTokensOutOfLogsMessagesAndThePendingInstall()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var pending = await h.Client.BeginInstallAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName, await InstallFromMarketplaceAsync(h), PipedriveHarness.RedirectUri);
        var refused = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.ConfirmInstallAsync(OtherTenant, pending.Id));

        // Act
        var text = string.Join("\n", h.Logs.GetSnapshot().Select(LogRecordText.Of)) + pending + refused;

        // Assert: the simulator hands out "v1u:…" access tokens and "sim-refresh-…" refresh tokens.
        Assert.DoesNotContain("v1u:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-refresh-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-client-secret", text, StringComparison.Ordinal);
    }

    /// <summary>Follows "Install" on the Marketplace listing and the consent page like a browser, returning the code sent to the callback.</summary>
    private static async Task<string> InstallFromMarketplaceAsync(PipedriveHarness h)
    {
        using var http = new HttpClient();
        var html = await http.GetStringAsync(h.Sim.GetMarketplaceInstallUrl(PipedriveHarness.RedirectUri));
        var href = new Uri(WebUtility.HtmlDecode(AllowLink().Match(html).Groups["href"].Value));
        var query = href.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.False(query.ContainsKey("state"));
        Assert.StartsWith(PipedriveHarness.RedirectUri.ToString(), href.ToString(), StringComparison.Ordinal);
        return query["code"];
    }

    [GeneratedRegex("id=\"allow\" href=\"(?<href>[^\"]+)\"", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AllowLink();
}
