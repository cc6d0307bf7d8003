using System.Security.Claims;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets;

/// <summary>
/// The base of the fetch-direction widgets (import wizard, import inbox, lead-source tracker): on top of
/// <see cref="CrmSyncLiveComponentBase"/> it reads the signed-in user from the cascading authentication state, maps it to a
/// <see cref="CrmImportActor"/> through <see cref="CrmSyncImportActors.Resolve"/>, and evaluates CrmSync policies.
/// </summary>
public abstract class CrmSyncImportComponentBase : CrmSyncLiveComponentBase
{
    /// <summary>Gets or sets the cascading authentication state; without one, nobody is allowed.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Gets or sets the import client every import and inbox call goes through.</summary>
    [Inject]
    protected CrmImportClient Imports { get; set; } = default!;

    /// <summary>Gets the actor of the signed-in user, as of the last <see cref="ResolveActorAsync"/>; <see langword="null"/> when nobody (or nobody mappable) is signed in.</summary>
    protected CrmImportActor? Actor { get; private set; }

    /// <summary>Gets what a widget shows to a user who may not use it.</summary>
    protected CrmSyncUnauthorizedDisplay UnauthorizedDisplay => WidgetOptions.Value.UnauthorizedDisplay;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IOptions<AuthorizationOptions> AuthorizationOptions { get; set; } = default!;

    /// <summary>Reads the signed-in user and maps it to <see cref="Actor"/>.</summary>
    /// <returns>The actor, or <see langword="null"/>.</returns>
    protected async Task<CrmImportActor?> ResolveActorAsync()
    {
        Actor = CrmSyncImportActors.Resolve(WidgetOptions.Value, await GetUserAsync());
        return Actor;
    }

    /// <summary>Returns whether the signed-in user satisfies <paramref name="policyName"/>.</summary>
    /// <param name="policyName">The policy, such as <see cref="CrmSyncPolicies.ApproveImports"/>.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    protected async Task<bool> IsAllowedAsync(string policyName) =>
        await CrmSyncAuthorization.IsAllowedAsync(Authorization, AuthorizationOptions.Value, await GetUserAsync(), policyName);

    private async Task<ClaimsPrincipal> GetUserAsync() =>
        AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
}
