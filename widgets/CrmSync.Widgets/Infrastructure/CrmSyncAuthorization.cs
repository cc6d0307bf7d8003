using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace CrmSync.Widgets;

/// <summary>Evaluates a CrmSync policy for a user.</summary>
internal static class CrmSyncAuthorization
{
    /// <summary>
    /// Evaluates <paramref name="policyName"/>. A policy registered in <see cref="AuthorizationOptions"/> is evaluated by its
    /// requirements (the role requirements <c>AddCrmSyncWidgets</c> registers, or the host's own); any other name goes through
    /// the policy provider. Users who are not signed in are never allowed.
    /// </summary>
    public static async Task<bool> IsAllowedAsync(IAuthorizationService authorization, AuthorizationOptions options, ClaimsPrincipal user, string policyName)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        var policy = options.GetPolicy(policyName);
        var result = policy is not null
            ? await authorization.AuthorizeAsync(user, null, policy.Requirements)
            : await authorization.AuthorizeAsync(user, null, policyName);
        return result.Succeeded;
    }
}
