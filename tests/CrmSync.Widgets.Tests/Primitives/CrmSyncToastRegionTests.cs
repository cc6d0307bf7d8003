using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncToastRegionTests : PrimitiveTestBase
{
    private CrmSyncAnnouncer Announcer => Services.GetRequiredService<CrmSyncAnnouncer>();

    [Fact]
    public void Announce_Message_ShowsToastInTheOneLiveRegion()
    {
        // Arrange
        var cut = Render<CrmSyncToastRegion>();

        // Act
        Announcer.Announce("HubSpot: sync finished.", CrmSyncTone.Success);

        // Assert
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-toast")));
        Assert.Single(cut.FindAll("[aria-live]"));
        Assert.Equal("polite", cut.Find("[role=status]").GetAttribute("aria-live"));
        Assert.Equal("HubSpot: sync finished.", cut.Find(".crmsync-toast__text").TextContent);
        Assert.Contains("crmsync-toast--success", cut.Find(".crmsync-toast").ClassList);
    }

    [Fact]
    public void Click_Dismiss_RemovesToast()
    {
        // Arrange
        var cut = Render<CrmSyncToastRegion>();
        Announcer.Announce("Saved.");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-toast")));

        // Act
        cut.Find(".crmsync-toast__dismiss").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-toast")));
        Assert.Empty(Announcer.Items);
    }

    [Fact]
    public void Announce_AfterTimeout_ToastExpires()
    {
        // Arrange
        var cut = Render<CrmSyncToastRegion>(p => p.Add(x => x.Timeout, TimeSpan.FromSeconds(8)));
        Announcer.Announce("Mapping saved.");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-toast")));

        // Act
        Time.Advance(TimeSpan.FromSeconds(9));

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-toast")));
    }

    [Fact]
    public void Announce_MoreThanMax_DropsOldest()
    {
        // Arrange
        Announcer.MaxVisible = 2;

        // Act
        Announcer.Announce("one");
        Announcer.Announce("two");
        Announcer.Announce("three");

        // Assert
        Assert.Equal(["two", "three"], Announcer.Items.Select(i => i.Message));
    }

    [Fact]
    public void Announce_EmptyMessage_Throws()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => Announcer.Announce(" "));

        // Assert
        Assert.Equal("message", ex.ParamName);
    }
}
