namespace CrmSync.Sdk;

/// <summary>
/// Who is acting on imports, with the host roles they hold. The host builds it from its own user (for example from
/// the roles of the signed-in <c>ClaimsPrincipal</c>); <see cref="CrmImportOptions"/> names which roles may run imports
/// and which may approve. CrmSync records <see cref="UserId"/> on every decision.
/// </summary>
public sealed record CrmImportActor
{
    /// <summary>Initializes an actor.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="roles">The host roles the user holds in the tenant (for example <c>manager</c>).</param>
    public CrmImportActor(string userId, IEnumerable<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(roles);
        UserId = userId;
        Roles = new HashSet<string>(roles.Where(r => !string.IsNullOrWhiteSpace(r)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the host's user id.</summary>
    public string UserId { get; }

    /// <summary>Gets the roles, compared case-insensitively.</summary>
    public IReadOnlySet<string> Roles { get; }

    /// <summary>Creates an actor.</summary>
    /// <param name="userId">The host's user id.</param>
    /// <param name="roles">The roles.</param>
    /// <returns>The actor.</returns>
    public static CrmImportActor Create(string userId, params string[] roles) => new(userId, roles);

    /// <summary>Returns whether the actor holds one of <paramref name="roles"/>.</summary>
    /// <param name="roles">The roles that grant the action.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool HasAnyRole(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Any(Roles.Contains);
    }
}
