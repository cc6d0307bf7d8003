using System.Security.Claims;
using CrmSync.Sdk;

namespace CrmSync.Widgets;

/// <summary>
/// Maps the signed-in ASP.NET Core user to the <see cref="CrmImportActor"/> the import and lead-source APIs check:
/// the user id is the identity's name (<see cref="ClaimsIdentity.NameClaimType"/>, else <see cref="ClaimTypes.NameIdentifier"/>),
/// and the roles are the identity's role claims (<see cref="ClaimsIdentity.RoleClaimType"/> and <see cref="ClaimTypes.Role"/>).
/// Every fetch-direction widget goes through <see cref="Resolve"/>, so a host that keeps roles elsewhere (for example per
/// tenant in its database) replaces the mapping once with <see cref="CrmSyncWidgetOptions.ImportActor"/>.
/// </summary>
public static class CrmSyncImportActors
{
    /// <summary>Builds the actor from the user's name and role claims.</summary>
    /// <param name="user">The signed-in user.</param>
    /// <returns>The actor, or <see langword="null"/> when the user is not signed in or has neither a name nor a name identifier.</returns>
    public static CrmImportActor? FromClaims(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var userId = user.Identity.Name;
        if (string.IsNullOrWhiteSpace(userId))
        {
            userId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        }

        if (string.IsNullOrWhiteSpace(userId))
        {
            return null;
        }

        var roles = user.Identities
            .Where(i => i.IsAuthenticated)
            .SelectMany(i => i.Claims.Where(c => c.Type == i.RoleClaimType || c.Type == ClaimTypes.Role))
            .Select(c => c.Value);
        return new CrmImportActor(userId, roles);
    }

    /// <summary>
    /// Maps <paramref name="user"/> with <see cref="CrmSyncWidgetOptions.ImportActor"/> when the host set one, else with
    /// <see cref="FromClaims"/>. Users who are not signed in never get an actor.
    /// </summary>
    /// <param name="options">The widget options.</param>
    /// <param name="user">The signed-in user.</param>
    /// <returns>The actor, or <see langword="null"/> when the user may not act on imports at all.</returns>
    public static CrmImportActor? Resolve(CrmSyncWidgetOptions options, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return options.ImportActor is { } map ? map(user) : FromClaims(user);
    }
}
