using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The kit's data table: put <c>thead</c>/<c>tbody</c> inside. Columns stay side by side while the table's container is wide
/// (1280 px desktop); below 560 px of container width each row collapses into a stacked block in which every cell shows its
/// column name from its <c>data-label</c> attribute. Cells with class <c>crmsync-table__actions</c> keep their buttons on one line
/// and right-aligned; <c>crmsync-table__num</c> right-aligns figures.
/// </summary>
public partial class CrmSyncTable
{
    /// <summary>Gets or sets the table sections (<c>thead</c>, <c>tbody</c>).</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the caption (what the table lists). Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Caption { get; set; }

    /// <summary>Gets or sets whether the caption shows; otherwise only assistive technology reads it. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool CaptionVisible { get; set; }

    /// <summary>Gets or sets whether rows are compact. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Dense { get; set; }

    /// <summary>Gets or sets whether rows stack on narrow containers. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool Collapse { get; set; } = true;
}
