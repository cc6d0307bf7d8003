using Microsoft.AspNetCore.Components.Web;

namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncButtonTests : PrimitiveTestBase
{
    [Fact]
    public void Click_NotPending_InvokesOnClick()
    {
        // Arrange
        var clicks = 0;
        var cut = Render<CrmSyncButton>(p => p.Add(x => x.OnClick, (MouseEventArgs _) => clicks++).AddChildContent("Sync now"));

        // Act
        cut.Find("button").Click();

        // Assert
        Assert.Equal(1, clicks);
        Assert.Equal("Sync now", cut.Find(".crmsync-button__label").TextContent);
    }

    [Fact]
    public void Render_Pending_ShowsSpinnerAndPendingTextStaysFocusableAndIgnoresClicks()
    {
        // Arrange
        var clicks = 0;
        var cut = Render<CrmSyncButton>(p => p
            .Add(x => x.Pending, true)
            .Add(x => x.PendingText, "Syncing…")
            .Add(x => x.OnClick, (MouseEventArgs _) => clicks++)
            .AddChildContent("Sync now"));

        // Act
        cut.Find("button").Click();

        // Assert
        var button = cut.Find("button");
        Assert.Equal(0, clicks);
        Assert.Equal("Syncing…", button.QuerySelector(".crmsync-button__label")!.TextContent);
        Assert.Equal("true", button.GetAttribute("aria-busy"));
        Assert.Equal("true", button.GetAttribute("aria-disabled"));
        Assert.False(button.HasAttribute("disabled"));
        Assert.Equal("Spinner", button.QuerySelector("svg")!.GetAttribute("data-icon"));
        Assert.Contains("crmsync-button--pending", button.ClassList);
    }

    [Fact]
    public void Render_Disabled_SetsNativeDisabled()
    {
        // Act
        var cut = Render<CrmSyncButton>(p => p.Add(x => x.Disabled, true).AddChildContent("Approve"));

        // Assert
        Assert.True(cut.Find("button").HasAttribute("disabled"));
        Assert.Null(cut.Find("button").GetAttribute("aria-busy"));
    }

    [Theory]
    [InlineData(CrmSyncButtonVariant.Primary, "crmsync-button--primary")]
    [InlineData(CrmSyncButtonVariant.Secondary, "crmsync-button--secondary")]
    [InlineData(CrmSyncButtonVariant.Subtle, "crmsync-button--subtle")]
    [InlineData(CrmSyncButtonVariant.Danger, "crmsync-button--danger")]
    [InlineData(CrmSyncButtonVariant.DangerOutline, "crmsync-button--danger-outline")]
    public void Render_Variant_AddsVariantClass(CrmSyncButtonVariant variant, string css)
    {
        // Act
        var cut = Render<CrmSyncButton>(p => p.Add(x => x.Variant, variant).AddChildContent("Go"));

        // Assert
        Assert.Contains(css, cut.Find("button").ClassList);
        Assert.Equal("button", cut.Find("button").GetAttribute("type"));
    }

    [Fact]
    public void Render_IconOnlyWithLabel_HasAccessibleNameAndNoVisibleLabel()
    {
        // Act
        var cut = Render<CrmSyncButton>(p => p.Add(x => x.Icon, CrmSyncIconName.Close).Add(x => x.IconOnly, true).Add(x => x.AriaLabel, "Dismiss"));

        // Assert
        Assert.Equal("Dismiss", cut.Find("button").GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll(".crmsync-button__label"));
        Assert.Equal("true", cut.Find("svg").GetAttribute("aria-hidden"));
    }

    [Fact]
    public void Render_IconOnlyWithoutLabel_Throws()
    {
        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => Render<CrmSyncButton>(p => p.Add(x => x.Icon, CrmSyncIconName.Close).Add(x => x.IconOnly, true)));

        // Assert
        Assert.Contains("AriaLabel", ex.Message, StringComparison.Ordinal);
    }
}
