using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncTimeTests : PrimitiveTestBase
{
    [Theory]
    [InlineData(-10, "just now")]
    [InlineData(-60, "1 minute ago")]
    [InlineData(-300, "5 minutes ago")]
    [InlineData(-3600, "1 hour ago")]
    [InlineData(-3 * 3600, "3 hours ago")]
    [InlineData(-30 * 3600, "yesterday")]
    [InlineData(-4 * 86400, "4 days ago")]
    [InlineData(20, "in under a minute")]
    [InlineData(600, "in 10 minutes")]
    [InlineData(6 * 3600, "in 6 hours")]
    public void Render_Offset_ShowsRelativeText(int seconds, string expected)
    {
        // Act
        var cut = Render<CrmSyncTime>(p => p.Add(x => x.At, Time.GetUtcNow().AddSeconds(seconds)));

        // Assert
        Assert.Equal(expected, cut.Find(".crmsync-time__text").TextContent);
        Assert.Equal("0", cut.Find("time").GetAttribute("tabindex"));
    }

    [Fact]
    public void Render_ViewerInAnotherZone_ExactTimeInThatZoneWithIsoAttribute()
    {
        // Arrange
        var viewer = CrmSyncViewer.FromTimeZoneId("Asia/Tokyo", CultureInfo.GetCultureInfo("en-GB"));
        var at = new DateTimeOffset(2026, 12, 3, 15, 5, 0, TimeSpan.Zero);

        // Act
        var cut = Render<CascadingValue<CrmSyncViewer>>(p => p.Add(x => x.Value, viewer).AddChildContent<CrmSyncTime>(t => t.Add(x => x.At, at)));

        // Assert
        var time = cut.Find("time");
        Assert.Equal("2026-12-03T15:05:00Z", time.GetAttribute("datetime"));
        Assert.Equal("Friday, 4 December 2026 00:05 (Asia/Tokyo)", Plain(cut.Find(".crmsync-time__exact").TextContent));
    }

    [Fact]
    public void Render_NotRelative_ShowsShortDateTime()
    {
        // Arrange
        var viewer = new CrmSyncViewer(TimeZoneInfo.Utc, CultureInfo.GetCultureInfo("en-US"));

        // Act
        var cut = Render<CascadingValue<CrmSyncViewer>>(p => p.Add(x => x.Value, viewer).AddChildContent<CrmSyncTime>(t => t
            .Add(x => x.At, new DateTimeOffset(2026, 12, 3, 15, 5, 0, TimeSpan.Zero))
            .Add(x => x.Relative, false)
            .Add(x => x.Focusable, false)));

        // Assert
        Assert.Equal("12/3/2026 3:05 PM", Plain(cut.Find(".crmsync-time__text").TextContent));
        Assert.Equal("Thursday, December 3, 2026 3:05 PM (UTC)", Plain(cut.Find(".crmsync-time__exact").TextContent));
        Assert.False(cut.Find("time").HasAttribute("tabindex"));
    }

    [Theory]
    [InlineData(0.3, "under a second")]
    [InlineData(1, "1 second")]
    [InlineData(42, "42 seconds")]
    [InlineData(60, "1 minute")]
    [InlineData(252, "4 minutes 12 seconds")]
    [InlineData(7500, "2 hours 5 minutes")]
    [InlineData(3600, "1 hour")]
    [InlineData(3 * 86400 + 4 * 3600, "3 days 4 hours")]
    public void Duration_Span_InWords(double seconds, string expected)
    {
        // Arrange
        var text = new CrmSyncTimeText(Services.GetRequiredService<IStringLocalizer<CrmSyncStrings>>(), TimeZoneInfo.Utc, CultureInfo.GetCultureInfo("en-US"));

        // Act
        var words = text.Duration(TimeSpan.FromSeconds(seconds));

        // Assert
        Assert.Equal(expected, words);
    }

    [Fact]
    public void Viewer_UnknownZone_FallsBackToUtc()
    {
        // Act
        var viewer = CrmSyncViewer.FromTimeZoneId("Not/AZone");

        // Assert
        Assert.Equal(TimeZoneInfo.Utc, viewer.TimeZone);
    }

    // ICU writes a narrow no-break space before AM/PM.
    private static string Plain(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');
}
