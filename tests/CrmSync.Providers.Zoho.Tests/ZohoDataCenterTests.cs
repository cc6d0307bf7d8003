using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The Datacenter picker: every URL of a connection points at its region.</summary>
public sealed class ZohoDataCenterTests
{
    public static TheoryData<string, string> Regions => new()
    {
        { "us", "com" },
        { "eu", "eu" },
        { "in", "in" },
        { "au", "com.au" },
        { "jp", "jp" },
    };

    [Theory]
    [MemberData(nameof(Regions))]
    public async Task SignInAndTestContact_Datacenter_SignInTokenApiAndDeepLinkAllPointAtThatRegion(string datacenter, string tld)
    {
        // Arrange: the organisation lives in this region only; the simulator rejects codes and tokens used elsewhere
        var region = ZohoHarness.DataCenters[datacenter];
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = region);
        var connection = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, datacenter);

        // Act
        var signIn = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri);
        var consent = await ZohoHarness.FollowConsentAsync(signIn);
        await h.Client.CompleteSignInAsync(consent["state"], consent["code"]);
        await h.Client.ChooseStartingPointAsync(ZohoHarness.Tenant, connection.Id, StartingPoint.Skip);
        var test = await h.Client.SendTestContactAsync(ZohoHarness.Tenant, connection.Id);

        // Assert: sign-in and token endpoint on accounts.zoho.{tld}
        Assert.StartsWith($"{h.Sim.GetAccountsServer(region)}/oauth/v2/auth?", signIn.ToString(), StringComparison.Ordinal);
        Assert.Contains($"/accounts.zoho.{tld}/", signIn.AbsolutePath + "/", StringComparison.Ordinal);
        Assert.Equal(ZohoDataCenterEndpointsFor(h, datacenter).AccountsBaseAddress + "/oauth/v2/token", h.Provider.GetTokenUri(datacenter).ToString());
        Assert.EndsWith($"/accounts.zoho.{tld}/oauth/v2/token", h.Provider.GetTokenUri(datacenter).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(Uri.EscapeDataString(h.Sim.GetAccountsServer(region).ToString().TrimEnd('/')), Uri.EscapeDataString(consent["accounts-server"]));

        // API calls went to www.zohoapis.{tld} (the contact exists there) …
        Assert.Equal(h.Sim.GetApiDomain(region), h.Provider.GetApiBaseUri(datacenter));
        Assert.Single(h.Sim.GetRecords("Contacts"), c => c.Id == test.CrmRecordId);

        // … and the deep link opens crm.zoho.{tld}
        Assert.Equal(new Uri($"https://crm.zoho.{tld}/crm/tab/Contacts/{test.CrmRecordId}"), test.RecordLink);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void DefaultOptions_Datacenter_UseTheRealZohoDomainsOfThatRegion(string datacenter, string tld)
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddCrmSync().AddZoho(o =>
        {
            o.ClientId = "1000.REAL";
            o.ClientSecret = "secret";
        });
        using var provider = services.BuildServiceProvider();
        var zoho = provider.GetRequiredService<ZohoCrmProvider>();
        var context = new CrmProviderContext("t", Guid.NewGuid(), datacenter, new ConnectionSettings(), new TestCredentials(new CrmCredentials(), c => Task.FromResult(c)));

        // Act
        var signIn = zoho.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("s", "c", new Uri("https://app.example.test/cb"), datacenter));
        var token = zoho.GetTokenUri(datacenter);
        var api = zoho.GetApiBaseUri(datacenter);
        var link = zoho.GetRecordLink(context, CrmObjectType.Contact, "123");

        // Assert
        Assert.Equal($"accounts.zoho.{tld}", signIn.Host);
        Assert.Equal("/oauth/v2/auth", signIn.AbsolutePath);
        Assert.Contains("access_type=offline", signIn.Query, StringComparison.Ordinal);
        Assert.Equal(new Uri($"https://accounts.zoho.{tld}/oauth/v2/token"), token);
        Assert.Equal(new Uri($"https://www.zohoapis.{tld}"), api);
        Assert.Equal(new Uri($"https://crm.zoho.{tld}/crm/tab/Contacts/123"), link);
    }

    [Fact]
    public async Task CompleteSignInAsync_WrongDatacenterPicked_IsRefusedWithAReasonAboutTheRegion()
    {
        // Arrange: the organisation lives in Europe but the user picked the United States
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Eu);
        var connection = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us");
        var signIn = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri);
        var consent = await ZohoHarness.FollowConsentAsync(signIn);

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Client.CompleteSignInAsync(consent["state"], consent["code"]));

        // Assert
        Assert.Contains("datacenter", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteSignInAsync_WrongDatacenterPickedWithZohosRedirect_CompletesInTheAccountsRegionAndSaysSo()
    {
        // Arrange: the organisation lives in Europe, the user picked the United States; Zoho's redirect names the EU accounts server.
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Eu);
        var connection = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us");
        var signIn = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri);
        var consent = await ZohoHarness.FollowConsentAsync(signIn);

        // Act
        var connected = await h.Client.CompleteSignInAsync(consent["state"], consent["code"], consent);
        await h.Client.ChooseStartingPointAsync(ZohoHarness.Tenant, connection.Id, StartingPoint.Skip);
        var test = await h.Client.SendTestContactAsync(ZohoHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal("eu", connected.Datacenter);
        Assert.Equal("Your Zoho account is in Europe; we switched to zoho.eu.", connected.SignInNotice);
        Assert.True(connected.Checklist.Connected);
        Assert.Equal("eu", (await h.Client.GetConnectionAsync(ZohoHarness.Tenant, connection.Id)).Datacenter);
        Assert.Single(h.Sim.GetRecords("Contacts"), c => c.Id == test.CrmRecordId);
        Assert.Equal("crm.zoho.eu", test.RecordLink!.Host);
    }

    [Fact]
    public async Task CompleteSignInAsync_AccountsServerNotConfigured_RefusedNamingItAndNothingStored()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Us);
        var connection = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us");
        var signIn = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri);
        var consent = await ZohoHarness.FollowConsentAsync(signIn);
        consent["accounts-server"] = "https://accounts.attacker.example";

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CompleteSignInAsync(consent["state"], consent["code"], consent));

        // Assert
        Assert.Contains("https://accounts.attacker.example", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
        var stored = await h.Client.GetConnectionAsync(ZohoHarness.Tenant, connection.Id);
        Assert.False(stored.HasCredentials);
        Assert.Equal("us", stored.Datacenter);
    }

    [Fact]
    public async Task ChangeDatacenterAsync_AfterAFailedSignIn_NextSignInGoesToTheNewRegion()
    {
        // Arrange: the sign-in in the United States was refused.
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Eu);
        var connection = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us");
        var first = await ZohoHarness.FollowConsentAsync(await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri));
        await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Client.CompleteSignInAsync(first["state"], first["code"]));

        // Act
        await h.Client.ChangeDatacenterAsync(ZohoHarness.Tenant, connection.Id, "EU");
        var signIn = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, connection.Id, ZohoHarness.RedirectUri);
        var consent = await ZohoHarness.FollowConsentAsync(signIn);
        var connected = await h.Client.CompleteSignInAsync(consent["state"], consent["code"]);

        // Assert
        Assert.StartsWith(h.Sim.GetAccountsServer(ZohoDataCenter.Eu).ToString(), signIn.ToString(), StringComparison.Ordinal);
        Assert.Equal("eu", connected.Datacenter);
        Assert.True(connected.Checklist.Connected);
        Assert.Null(connected.SignInNotice);
        var live = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.ChangeDatacenterAsync(ZohoHarness.Tenant, connection.Id, "us"));
        Assert.Contains("disconnect it before", live.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeginSignInAsync_FetchOnlyConnection_AsksForReadOnlyScopes()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var fetch = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us", new ConnectionSettings { Direction = SyncDirection.Fetch });
        var send = await h.Client.CreateConnectionAsync(ZohoHarness.Tenant, ZohoCrmProvider.ProviderName, "us");

        // Act
        var readOnly = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, fetch.Id, ZohoHarness.RedirectUri);
        var full = await h.Client.BeginSignInAsync(ZohoHarness.Tenant, send.Id, ZohoHarness.RedirectUri);

        // Assert
        var scope = Uri.UnescapeDataString(readOnly.Query);
        Assert.Contains("scope=ZohoCRM.modules.READ,", scope, StringComparison.Ordinal);
        Assert.DoesNotContain("ALL", scope, StringComparison.Ordinal);
        Assert.Contains("ZohoCRM.modules.ALL", Uri.UnescapeDataString(full.Query), StringComparison.Ordinal);
    }

    private static ZohoDataCenterEndpoints ZohoDataCenterEndpointsFor(ZohoHarness h, string datacenter) => h.Provider.GetDataCenter(datacenter);
}
