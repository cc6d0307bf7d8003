using System.Security.Claims;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>The demo organisation and its users, one per role.</summary>
public static class DemoUsers
{
    /// <summary>The one tenant of the demo.</summary>
    public const string TenantId = "demo-org";

    /// <summary>The tenant claim type.</summary>
    public const string TenantClaim = "tenant";

    /// <summary>The demo users: name and role.</summary>
    public static IReadOnlyList<(string Name, string Role, string Description)> All { get; } =
    [
        ("Olivia Owner", "owner", "Organisation owner: manages connections and receives alerts."),
        ("Adam Admin", "admin", "Admin: manages connections and approves imports."),
        ("Mia Manager", "manager", "Manager: approves imports, sees the CRM page."),
        ("Max Member", "member", "Member: sees sync health only."),
    ];

    /// <summary>Builds the principal of a demo role.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The principal, or <see langword="null"/> for an unknown role.</returns>
    public static ClaimsPrincipal? Principal(string role)
    {
        var user = All.FirstOrDefault(u => u.Role == role);
        if (user.Name is null)
        {
            return null;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), new Claim(TenantClaim, TenantId)],
            "demo");
        return new ClaimsPrincipal(identity);
    }
}
