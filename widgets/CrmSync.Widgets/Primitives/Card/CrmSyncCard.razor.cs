using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The kit's card: a titled surface with an optional media slot (a brand mark), header actions, body and footer. Every widget
/// that shows a box uses it, so a host restyles all of them with the card tokens (<c>--crmsync-surface</c>, <c>--crmsync-border</c>,
/// <c>--crmsync-radius-l</c>, <c>--crmsync-shadow-1</c>). A <see cref="Tone"/> adds a coloured edge for a card that needs attention.
/// </summary>
public partial class CrmSyncCard
{
    private readonly string _defaultTitleId = CrmSyncIds.Next("card");

    /// <summary>Gets or sets the title. Defaults to none; then set <see cref="AriaLabel"/>.</summary>
    [Parameter]
    public RenderFragment? Title { get; set; }

    /// <summary>Gets or sets the heading level of the title (2 to 6). Defaults to 3.</summary>
    [Parameter]
    public int HeadingLevel { get; set; } = 3;

    /// <summary>Gets or sets the line under the title. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Subtitle { get; set; }

    /// <summary>Gets or sets the media before the title, usually a <see cref="CrmSyncBrandMark"/>. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Media { get; set; }

    /// <summary>Gets or sets the controls at the end of the header (a status pill, a menu). Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Actions { get; set; }

    /// <summary>Gets or sets the body.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the footer, usually a <see cref="CrmSyncToolbar"/> of actions. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Footer { get; set; }

    /// <summary>Gets or sets the tone of the card's edge; <see langword="null"/> means none. Defaults to none.</summary>
    [Parameter]
    public CrmSyncTone? Tone { get; set; }

    /// <summary>Gets or sets whether the body has no padding (a table filling the card). Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Flush { get; set; }

    /// <summary>Gets or sets whether the card's content is being updated (<c>aria-busy</c>). Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Busy { get; set; }

    /// <summary>Gets or sets the accessible name when there is no <see cref="Title"/>. Defaults to none.</summary>
    [Parameter]
    public string? AriaLabel { get; set; }

    /// <summary>Gets or sets the id of the title element, which names the card. Defaults to a generated id.</summary>
    [Parameter]
    public string? TitleId { get; set; }

    private string ResolvedTitleId => TitleId ?? _defaultTitleId;
}
