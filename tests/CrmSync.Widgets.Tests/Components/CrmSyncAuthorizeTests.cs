namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncAuthorizeTests : WidgetTestBase
{
    [Theory]
    [InlineData("manager", true)]
    [InlineData("admin", true)]
    [InlineData("owner", false)]
    [InlineData("member", false)]
    public void Render_ApproveImportsPolicy_AllowsManagersAndAdmins(string role, bool allowed)
    {
        // Arrange
        Auth.SetRoles(role);

        // Act
        var cut = Render<CrmSyncAuthorize>(p => p
            .Add(x => x.Policy, CrmSyncPolicies.ApproveImports)
            .Add(x => x.Action, "approve imports")
            .AddChildContent("<button class=\"approve\">Approve</button>"));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(allowed, cut.FindAll("button.approve").Count == 1));
        Assert.Equal(!allowed, cut.FindAll(".crmsync-ask-admin").Count == 1);
        if (!allowed)
        {
            Assert.Contains("Ask an admin to approve imports.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_DisplayNothing_RendersNothingForRefusedUser()
    {
        // Arrange
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncAuthorize>(p => p
            .Add(x => x.Policy, CrmSyncPolicies.ManageConnections)
            .Add(x => x.Display, CrmSyncUnauthorizedDisplay.Nothing)
            .AddChildContent("<button>Sync</button>"));

        // Assert
        Assert.Equal(string.Empty, cut.Markup.Trim());
    }

    [Fact]
    public void Render_NotSignedIn_IsRefused()
    {
        // Arrange
        Auth.SetNotAuthorized();

        // Act
        var cut = Render<CrmSyncAuthorize>(p => p.Add(x => x.Policy, CrmSyncPolicies.ManageConnections).AddChildContent("<button>Sync</button>"));

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-ask-admin")));
        Assert.Empty(cut.FindAll("button"));
    }
}
