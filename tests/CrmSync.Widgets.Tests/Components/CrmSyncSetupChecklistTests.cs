namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncSetupChecklistTests : WidgetTestBase
{
    [Fact]
    public async Task Render_NotConnected_HighlightsConnectStep()
    {
        // Arrange
        var connection = await Client.CreateConnectionAsync(Tenant, Provider.Name);

        // Act
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-step--current")));
        var current = cut.Find(".crmsync-step--current");
        Assert.Equal("step", current.GetAttribute("aria-current"));
        Assert.Equal("Connect HubSpot", current.QuerySelector(".crmsync-step__label")!.TextContent);
        Assert.Empty(cut.FindAll(".crmsync-step--done"));
        Assert.Equal("0 of 4 steps done", cut.Find(".crmsync-checklist__progress").TextContent);
    }

    [Fact]
    public async Task OpenFieldMapping_MappingStepCurrent_InvokesCallbackAndChecksDoneSteps()
    {
        // Arrange
        var connection = await ConnectAsync();
        CrmConnection? opened = null;
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.OnOpenFieldMapping, c => opened = c));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-step--current")));
        Assert.Equal("Review your field mapping", cut.Find(".crmsync-step--current .crmsync-step__label").TextContent);
        Assert.Equal(2, cut.FindAll(".crmsync-step--done").Count);
        Assert.Equal("Check", cut.Find(".crmsync-step--done .crmsync-step__marker svg").GetAttribute("data-icon"));

        // Act
        cut.Find(".crmsync-checklist__mapping").Click();

        // Assert
        Assert.Equal(connection.Id, opened?.Id);
    }

    [Fact]
    public async Task Render_FieldMappingHref_RendersLinkWithProvider()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.FieldMappingHref, "/settings/integrations?tab=mapping&crm={provider}"));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("/settings/integrations?tab=mapping&crm=inmemory", cut.Find("a.crmsync-checklist__mapping").GetAttribute("href")));
    }

    [Fact]
    public async Task Render_AllStepsDone_SaysSetupComplete()
    {
        // Arrange
        var connection = await ConnectAsync();
        await Client.MarkMappingReviewedAsync(Tenant, connection.Id);
        await Client.SendTestContactAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Setup complete", cut.Find(".crmsync-checklist__complete").TextContent, StringComparison.Ordinal));
        Assert.Null(cut.Find(".crmsync-checklist__complete").GetAttribute("role"));
        Assert.Equal(4, cut.FindAll(".crmsync-step--done").Count);
        Assert.Empty(cut.FindAll(".crmsync-step--current"));
    }

    [Fact]
    public async Task Dismiss_ClickX_PersistsAcrossVisits()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal("Dismiss setup guide", cut.Find(".crmsync-checklist__dismiss").GetAttribute("aria-label")));

        // Act
        cut.Find(".crmsync-checklist__dismiss").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-checklist")));
        Assert.True((await Client.GetConnectionAsync(Tenant, connection.Id)).Checklist.Dismissed);
        var nextVisit = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(nextVisit);
        Assert.Empty(nextVisit.FindAll(".crmsync-checklist"));
    }

    [Fact]
    public async Task Render_MemberRole_AsksAnAdmin()
    {
        // Arrange
        var connection = await ConnectAsync();
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask an admin to finish setting up this CRM.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-checklist__dismiss"));
    }
}
