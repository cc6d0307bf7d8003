namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncBrandMarkTests : PrimitiveTestBase
{
    [Theory]
    [InlineData("hubspot", "HubSpot")]
    [InlineData("salesforce", "Salesforce")]
    [InlineData("pipedrive", "Pipedrive")]
    [InlineData("zoho", "Zoho CRM")]
    [InlineData("reapit", "Reapit")]
    [InlineData("harbor", "Harbor CRM")]
    [InlineData("acme-crm", "Acme CRM")]
    public void Render_Provider_IsImageNamedAfterTheCrm(string provider, string name)
    {
        // Act
        var cut = Render<CrmSyncBrandMark>(p => p.Add(x => x.Provider, provider).Add(x => x.DisplayName, name));

        // Assert
        var mark = cut.Find(".crmsync-brand");
        Assert.Equal("img", mark.GetAttribute("role"));
        Assert.Equal(name, mark.GetAttribute("aria-label"));
        Assert.Equal(provider, mark.GetAttribute("data-provider"));
        Assert.NotEmpty(cut.Find("svg").Children);
        Assert.DoesNotContain(">" + name[0] + "<", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KnownProviders_DrawDifferentMarks()
    {
        // Act
        var marks = new[] { "hubspot", "salesforce", "pipedrive", "zoho", "reapit", "harbor", "other" }
            .Select(provider => Render<CrmSyncBrandMark>(p => p.Add(x => x.Provider, provider)).Find("svg").InnerHtml)
            .ToList();

        // Assert
        Assert.Equal(marks.Count, marks.Distinct().Count());
    }

    [Fact]
    public void Render_Decorative_IsHidden()
    {
        // Act
        var cut = Render<CrmSyncBrandMark>(p => p.Add(x => x.Provider, "hubspot").Add(x => x.Decorative, true));

        // Assert
        var mark = cut.Find(".crmsync-brand");
        Assert.Equal("true", mark.GetAttribute("aria-hidden"));
        Assert.False(mark.HasAttribute("role"));
    }

    [Fact]
    public void Render_EmptyProvider_Throws()
    {
        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => Render<CrmSyncBrandMark>(p => p.Add(x => x.Provider, " ")));

        // Assert
        Assert.Contains("Provider", ex.Message, StringComparison.Ordinal);
    }
}

public class CrmSyncBrandMarkHostLogoTests : PrimitiveTestBase
{
    protected override void Configure(CrmSyncWidgetOptions options) => options.BrandLogos["HubSpot"] = "/logos/hubspot.svg";

    [Fact]
    public void Render_HostLogo_ShowsHostImage()
    {
        // Act
        var cut = Render<CrmSyncBrandMark>(p => p.Add(x => x.Provider, "hubspot").Add(x => x.DisplayName, "HubSpot").Add(x => x.Size, 40));

        // Assert
        var img = cut.Find("img");
        Assert.Equal("/logos/hubspot.svg", img.GetAttribute("src"));
        Assert.Equal(string.Empty, img.GetAttribute("alt"));
        Assert.Equal("HubSpot", cut.Find(".crmsync-brand").GetAttribute("aria-label"));
        Assert.Contains("40px", cut.Find(".crmsync-brand").GetAttribute("style"), StringComparison.Ordinal);
    }
}
