namespace CrmSync.Providers.HubSpot.Simulator;

/// <summary>
/// An owner (HubSpot user) that the simulator serves from <c>GET /crm/v3/owners</c>.
/// </summary>
/// <param name="Id">The owner id, written by clients into <c>hubspot_owner_id</c>.</param>
/// <param name="Email">The owner's email address.</param>
/// <param name="FirstName">The owner's first name.</param>
/// <param name="LastName">The owner's last name.</param>
/// <param name="UserId">The HubSpot user id, which differs from <paramref name="Id"/>.</param>
public sealed record HubSpotSimulatorOwner(string Id, string Email, string FirstName, string LastName, long UserId)
{
    /// <summary>Gets a value indicating whether the owner is archived (deactivated).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Archived { get; init; }
}
