using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets;

/// <summary>
/// Shows <see cref="ChildContent"/> only to users the <see cref="Policy"/> allows; others see "Ask an admin to …" or nothing
/// (<see cref="CrmSyncWidgetOptions.UnauthorizedDisplay"/>). Needs the host's cascading authentication state
/// (<c>services.AddCascadingAuthenticationState()</c>); without one, nobody is allowed.
/// </summary>
public partial class CrmSyncAuthorize
{
    private bool? _allowed;

    /// <summary>Gets or sets the policy to check, such as <see cref="CrmSyncPolicies.ManageConnections"/>.</summary>
    [Parameter, EditorRequired]
    public string Policy { get; set; } = CrmSyncPolicies.ManageConnections;

    /// <summary>Gets or sets what allowed users see.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the end of the sentence "Ask an admin to …", such as "manage this CRM connection". Defaults to a generic phrase.</summary>
    [Parameter]
    public string? Action { get; set; }

    /// <summary>Gets or sets what users the policy refuses see. Defaults to <see cref="CrmSyncWidgetOptions.UnauthorizedDisplay"/>.</summary>
    [Parameter]
    public CrmSyncUnauthorizedDisplay? Display { get; set; }

    /// <summary>Gets or sets the cascading authentication state.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IOptions<AuthorizationOptions> AuthorizationOptions { get; set; } = default!;

    private CrmSyncUnauthorizedDisplay EffectiveDisplay => Display ?? WidgetOptions.Value.UnauthorizedDisplay;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Policy);
        var user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        _allowed = await CrmSyncAuthorization.IsAllowedAsync(Authorization, AuthorizationOptions.Value, user, Policy);
    }
}
