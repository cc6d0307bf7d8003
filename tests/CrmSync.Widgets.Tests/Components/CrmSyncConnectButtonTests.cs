using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncConnectButtonTests : WidgetTestBase
{
    [Fact]
    public async Task Render_Zoho_OffersTheFiveDatacenters()
    {
        // Act
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.Provider, "zoho"));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-connect__datacenter-select")));
        var options = cut.FindAll(".crmsync-connect__datacenter-select option").Select(o => o.TextContent).ToArray();
        Assert.Equal(["United States", "Europe", "India", "Australia", "Japan"], options);
        Assert.Equal("Connect", cut.Find(".crmsync-connect__button").TextContent.Trim());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Connect_ZohoEurope_CreatesConnectionInEuropeAndNavigatesToSignIn()
    {
        // Arrange
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.Provider, "zoho"));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-connect__datacenter-select")));
        cut.Find(".crmsync-connect__datacenter-select").Change("eu");

        // Act
        cut.Find(".crmsync-connect__button").Click();

        // Assert
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.StartsWith("https://crm.example.test/oauth/authorize?", navigation.Uri, StringComparison.Ordinal));
        var connection = Assert.Single(await Client.GetConnectionsAsync(Tenant));
        Assert.Equal("zoho", connection.Provider);
        Assert.Equal("eu", connection.Datacenter);
    }

    [Fact]
    public async Task Connect_SignInAbandonedInTheWrongRegion_PickerStaysAndTheNextSignInGoesToTheNewOne()
    {
        // Arrange: a Zoho connection created in the United States whose sign-in never completed.
        var abandoned = await Client.CreateConnectionAsync(Tenant, "zoho", "us");
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, abandoned.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal("us", cut.Find(".crmsync-connect__datacenter-select").GetAttribute("value")));

        // Act
        cut.Find(".crmsync-connect__datacenter-select").Change("eu");
        cut.Find(".crmsync-connect__button").Click();

        // Assert
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.StartsWith("https://crm.example.test/oauth/authorize?", navigation.Uri, StringComparison.Ordinal));
        var connection = Assert.Single(await Client.GetConnectionsAsync(Tenant));
        Assert.Equal((abandoned.Id, "eu"), (connection.Id, connection.Datacenter));
        Assert.Equal("Connect", cut.Find(".crmsync-connect__button").TextContent.Trim());
    }

    [Fact]
    public async Task Connect_OnConnectSet_CallsItInsteadOfNavigating()
    {
        // Arrange
        CrmSyncConnectRequest? request = null;
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.Provider, Provider.Name).Add(x => x.OnConnect, r => request = r));
        WaitLoaded(cut);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;

        // Act
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-connect__button")));
        cut.Find(".crmsync-connect__button").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(request));
        Assert.Equal(before, navigation.Uri);
        Assert.Equal((await Client.GetConnectionsAsync(Tenant)).Single().Id, request!.Connection.Id);
        Assert.Empty(cut.FindAll(".crmsync-connect__datacenter-select"));
    }

    [Fact]
    public async Task Render_LiveConnection_ReadsConnectedWithAccount()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        var status = cut.Find(".crmsync-connect__connected");
        Assert.Null(status.GetAttribute("role"));
        Assert.Empty(cut.FindAll("[aria-live]"));
        Assert.Contains("Connected to Acme Sales", status.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public async Task Reconnect_DisconnectedByUser_ReconnectsWithSavedSignIn()
    {
        // Arrange
        var connection = await ConnectAsync();
        await Client.DisconnectAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
        Assert.Contains("Disconnected by a user", cut.Find(".crmsync-connect__reason").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-connect__button").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-connect__connected")));
        Assert.Equal(ConnectionStatus.Active, (await Client.GetConnectionAsync(Tenant, connection.Id)).Status.Status);
    }

    [Fact]
    public async Task Render_MemberRole_AsksAnAdminToConnect()
    {
        // Arrange
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncConnectButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.Provider, Provider.Name));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask an admin to connect or reconnect this CRM.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(await Client.GetConnectionsAsync(Tenant));
    }
}
