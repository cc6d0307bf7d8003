namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncConfirmDialogTests : PrimitiveTestBase
{
    [Fact]
    public void Render_Closed_RendersNothing()
    {
        // Act
        var cut = Render<CrmSyncConfirmDialog>(p => p.Add(x => x.Title, "Disconnect?").Add(x => x.ConfirmText, "Disconnect"));

        // Assert
        Assert.Empty(cut.FindAll("[role=alertdialog]"));
    }

    [Fact]
    public void Render_Open_IsNamedAlertDialogInDangerAndFocusesCancel()
    {
        // Arrange
        var focus = JSInterop.SetupVoid("Blazor._internal.domWrapper.focus", _ => true);

        // Act
        var cut = Render<CrmSyncConfirmDialog>(p => p
            .Add(x => x.Open, true)
            .Add(x => x.Title, "Disconnect HubSpot?")
            .Add(x => x.ConfirmText, "Disconnect")
            .AddChildContent("Syncing stops; nothing is deleted."));

        // Assert
        var dialog = cut.Find("[role=alertdialog]");
        Assert.Equal("Disconnect HubSpot?", cut.Find("#" + dialog.GetAttribute("aria-labelledby")).TextContent);
        Assert.Equal("Syncing stops; nothing is deleted.", cut.Find("#" + dialog.GetAttribute("aria-describedby")).TextContent);
        Assert.Contains("crmsync-confirm--danger", dialog.ClassList);
        Assert.Contains("crmsync-button--danger", cut.Find(".crmsync-confirm__confirm").ClassList);
        Assert.Equal("Cancel", cut.Find(".crmsync-confirm__cancel").TextContent.Trim());
        focus.VerifyInvoke("Blazor._internal.domWrapper.focus");
    }

    [Fact]
    public void Click_ConfirmAndCancel_InvokeCallbacks()
    {
        // Arrange
        JSInterop.SetupVoid("Blazor._internal.domWrapper.focus", _ => true);
        var confirmed = 0;
        var cancelled = 0;
        var cut = Render<CrmSyncConfirmDialog>(p => p
            .Add(x => x.Open, true)
            .Add(x => x.Title, "Reject 3 records?")
            .Add(x => x.ConfirmText, "Reject")
            .Add(x => x.OnConfirm, () => confirmed++)
            .Add(x => x.OnCancel, () => cancelled++));

        // Act
        cut.Find(".crmsync-confirm__confirm").Click();
        cut.Find(".crmsync-confirm__cancel").Click();
        cut.Find("[role=alertdialog]").KeyDown("Escape");

        // Assert
        Assert.Equal(1, confirmed);
        Assert.Equal(2, cancelled);
    }

    [Fact]
    public void Render_Pending_ConfirmBusyCancelDisabled()
    {
        // Arrange
        JSInterop.SetupVoid("Blazor._internal.domWrapper.focus", _ => true);
        var cancelled = 0;

        // Act
        var cut = Render<CrmSyncConfirmDialog>(p => p
            .Add(x => x.Open, true)
            .Add(x => x.Title, "Delete?")
            .Add(x => x.ConfirmText, "Delete")
            .Add(x => x.PendingText, "Deleting…")
            .Add(x => x.Pending, true)
            .Add(x => x.OnCancel, () => cancelled++));
        cut.Find("[role=alertdialog]").KeyDown("Escape");

        // Assert
        Assert.Equal(0, cancelled);
        Assert.True(cut.Find(".crmsync-confirm__cancel").HasAttribute("disabled"));
        Assert.Equal("Deleting…", cut.Find(".crmsync-confirm__confirm").TextContent.Trim());
        Assert.Equal("true", cut.Find(".crmsync-confirm__confirm").GetAttribute("aria-busy"));
    }
}
