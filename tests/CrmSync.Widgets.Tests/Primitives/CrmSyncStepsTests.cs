namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncStepsTests : PrimitiveTestBase
{
    [Fact]
    public void Render_DoneStep_ShowsCheckMarkAndSaysDone()
    {
        // Act
        var cut = Render<CrmSyncStep>(p => p
            .Add(x => x.Number, 1)
            .Add(x => x.State, CrmSyncStepState.Done)
            .Add(x => x.Label, "Connect HubSpot")
            .Add(x => x.Detail, "5 minutes ago"));

        // Assert
        var step = cut.Find("li.crmsync-step");
        Assert.Contains("crmsync-step--done", step.ClassList);
        Assert.Equal("1", step.GetAttribute("data-step"));
        Assert.Null(step.GetAttribute("aria-current"));
        Assert.Equal("Check", cut.Find(".crmsync-step__marker svg").GetAttribute("data-icon"));
        Assert.Equal("true", cut.Find(".crmsync-step__marker").GetAttribute("aria-hidden"));
        Assert.Equal("Connect HubSpot (done) 5 minutes ago", System.Text.RegularExpressions.Regex.Replace(cut.Find(".crmsync-step__text").TextContent, @"\s+", " ").Trim());
    }

    [Fact]
    public void Render_CurrentStep_IsTheAriaCurrentStepWithItsNumberAndAction()
    {
        // Act
        var cut = Render<CrmSyncSteps>(p => p.AddChildContent<CrmSyncStep>(s => s
            .Add(x => x.Number, 2)
            .Add(x => x.State, CrmSyncStepState.Current)
            .Add(x => x.Label, "Review your field mapping")
            .AddChildContent("<a href='/mapping'>Open</a>")));

        // Assert
        Assert.Equal("OL", cut.Find(".crmsync-steps").TagName);
        var step = cut.Find("li.crmsync-step--current");
        Assert.Equal("step", step.GetAttribute("aria-current"));
        Assert.Equal("2", cut.Find(".crmsync-step__marker").TextContent);
        Assert.Equal("(current step)", cut.Find(".crmsync-sr-only").TextContent.Trim());
        Assert.Equal("/mapping", cut.Find(".crmsync-step__action a").GetAttribute("href"));
    }

    [Fact]
    public void Render_TodoStep_NoActionSlot()
    {
        // Act
        var cut = Render<CrmSyncStep>(p => p.Add(x => x.Number, 3).Add(x => x.Label, "Send a test contact"));

        // Assert
        Assert.Contains("crmsync-step--todo", cut.Find("li").ClassList);
        Assert.Equal("(to do)", cut.Find(".crmsync-sr-only").TextContent.Trim());
        Assert.Empty(cut.FindAll(".crmsync-step__action"));
        Assert.Empty(cut.FindAll(".crmsync-step__detail"));
    }
}
