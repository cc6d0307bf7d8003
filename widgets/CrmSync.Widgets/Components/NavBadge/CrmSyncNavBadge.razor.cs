using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The nav entry's badge: a red "!" badge (with the text "Needs attention" for screen readers) shown only when
/// <see cref="CrmSync.Sdk.CrmSyncClient.NeedsAttentionAsync"/> says something needs the tenant's attention. Refreshes itself.
/// </summary>
public partial class CrmSyncNavBadge
{
    private bool _needsAttention;

    /// <summary>Gets or sets the nav entry's content, for example the text "CRM". Defaults to none.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _needsAttention = await Client.NeedsAttentionAsync(ResolvedTenantId);
}
