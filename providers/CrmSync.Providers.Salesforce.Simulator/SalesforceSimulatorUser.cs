namespace CrmSync.Providers.Salesforce.Simulator;

/// <summary>
/// A user the simulator serves from SOQL queries on <c>User</c>; its id is what clients write into <c>OwnerId</c>.
/// </summary>
/// <param name="Id">The 18-character user id, starting with <c>005</c>.</param>
/// <param name="FirstName">The first name.</param>
/// <param name="LastName">The last name.</param>
/// <param name="Email">The email address.</param>
public sealed record SalesforceSimulatorUser(string Id, string FirstName, string LastName, string Email)
{
    /// <summary>Gets a value indicating whether the user is active.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IsActive { get; init; } = true;

    /// <summary>Gets the id of the user's profile (starting with <c>00e</c>); each profile owns one permission set, which <c>FieldPermissions</c> may grant fields to.</summary>
    /// <value>The default is <c>00eSIM000000001AAA</c>, the System Administrator profile.</value>
    public string ProfileId { get; init; } = SalesforceSimulator.DefaultProfileId;
}
