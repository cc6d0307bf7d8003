using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets;

/// <summary>
/// The mark of a CRM: a neutral, recognisable tile in the CRM's colour with a simple shape (HubSpot's sprocket, Salesforce's cloud,
/// Pipedrive's "p", Zoho's four squares, Reapit's house, Harbor CRM's anchor; a database for any other CRM). These are the kit's own drawings, not the vendors' logos;
/// a host that may use the real logos sets <see cref="CrmSyncWidgetOptions.BrandLogos"/> and the mark shows that image instead.
/// Announced as an image named after the CRM unless <see cref="Decorative"/> (when the name is written next to it).
/// </summary>
public partial class CrmSyncBrandMark
{
    /// <summary>Gets or sets the provider name (<c>hubspot</c>, <c>salesforce</c>, <c>pipedrive</c>, <c>zoho</c>, or any other).</summary>
    [Parameter, EditorRequired]
    public string Provider { get; set; } = string.Empty;

    /// <summary>Gets or sets the CRM's display name, the text alternative. Defaults to the provider name.</summary>
    [Parameter]
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the width and height in CSS pixels. Defaults to 32.</summary>
    [Parameter]
    public int Size { get; set; } = 32;

    /// <summary>Gets or sets whether the mark is hidden from assistive technology because the CRM's name is written beside it. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Decorative { get; set; }

    /// <summary>Gets or sets the widget options (host logos).</summary>
    [Inject]
    private IOptions<CrmSyncWidgetOptions> Options { get; set; } = default!;

    private string Key => Provider.Trim().ToLowerInvariant();

    private string AccessibleName => string.IsNullOrWhiteSpace(DisplayName) ? Provider : DisplayName;

    private string SizeStyle => string.Create(CultureInfo.InvariantCulture, $"--crmsync-brand-size: {Size}px;{Style}");

    private string? HostLogo => Options.Value.BrandLogos.TryGetValue(Key, out var url) && !string.IsNullOrWhiteSpace(url) ? url : null;

    private MarkupString Mark => new(Key switch
    {
        "hubspot" => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#ff7a59\"/><g fill=\"none\" stroke=\"#fff\" stroke-width=\"2.4\" stroke-linecap=\"round\"><circle cx=\"18\" cy=\"18.5\" r=\"4.2\"/><path d=\"M18 14.3V9.5M14.9 21.4l-4.4 3.6M14.5 15.6 9 11.5\"/></g><circle cx=\"18\" cy=\"8.2\" r=\"2.2\" fill=\"#fff\"/><circle cx=\"8.4\" cy=\"11\" r=\"1.8\" fill=\"#fff\"/>",
        "salesforce" => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#0b96d8\"/><path fill=\"#fff\" d=\"M13.3 10.6a4.6 4.6 0 0 1 7.6 1.1 5.2 5.2 0 0 1 6.6 5 5.2 5.2 0 0 1-6.4 5 4 4 0 0 1-5.6 1.6 4.6 4.6 0 0 1-8.3-.8A4.2 4.2 0 0 1 5 15.1a4.3 4.3 0 0 1 5.6-4.1 3.9 3.9 0 0 1 2.7-.4Z\"/>",
        "pipedrive" => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#1f7a4d\"/><path fill=\"none\" stroke=\"#fff\" stroke-width=\"3\" stroke-linecap=\"round\" d=\"M12 26V13.5\"/><circle cx=\"16.8\" cy=\"14.8\" r=\"5.2\" fill=\"none\" stroke=\"#fff\" stroke-width=\"3\"/>",
        "zoho" => "<rect x=\".5\" y=\".5\" width=\"31\" height=\"31\" rx=\"7.5\" fill=\"#fff\" stroke=\"#d9dde3\"/><rect x=\"5\" y=\"9\" width=\"6\" height=\"14\" rx=\"1.2\" fill=\"#e42527\" transform=\"rotate(-8 8 16)\"/><rect x=\"11.5\" y=\"9\" width=\"6\" height=\"14\" rx=\"1.2\" fill=\"#089949\"/><rect x=\"18\" y=\"9\" width=\"6\" height=\"14\" rx=\"1.2\" fill=\"#226db4\" transform=\"rotate(8 21 16)\"/><rect x=\"24\" y=\"11\" width=\"4\" height=\"10\" rx=\"1\" fill=\"#f9b21d\"/>",
        "reapit" => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#0a5c7a\"/><g fill=\"none\" stroke=\"#fff\" stroke-width=\"2.4\" stroke-linecap=\"round\" stroke-linejoin=\"round\"><path d=\"M7.5 15.5 16 8.5l8.5 7\"/><path d=\"M10 13.8V24h12V13.8\"/><path d=\"M14 24v-5.5h4V24\"/></g>",
        "harbor" => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#1d3b66\"/><g fill=\"none\" stroke=\"#fff\" stroke-width=\"2.2\" stroke-linecap=\"round\" stroke-linejoin=\"round\"><circle cx=\"16\" cy=\"8.6\" r=\"2.3\"/><path d=\"M16 10.9V25M11.5 14.5h9M8 18.5c.6 3.9 3.9 6.5 8 6.5s7.4-2.6 8-6.5\"/></g>",
        _ => "<rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#5b6472\"/><g fill=\"none\" stroke=\"#fff\" stroke-width=\"2\"><ellipse cx=\"16\" cy=\"10\" rx=\"7\" ry=\"2.6\"/><path d=\"M9 10v12c0 1.4 3.1 2.6 7 2.6s7-1.2 7-2.6V10M9 16c0 1.4 3.1 2.6 7 2.6s7-1.2 7-2.6\"/></g>",
    });

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (string.IsNullOrWhiteSpace(Provider))
        {
            throw new InvalidOperationException("CrmSyncBrandMark needs a Provider name.");
        }

        if (Size <= 0)
        {
            throw new InvalidOperationException($"CrmSyncBrandMark.Size must be positive, not {Size}.");
        }
    }
}
