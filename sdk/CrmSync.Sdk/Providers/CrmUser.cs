namespace CrmSync.Sdk;

/// <summary>A CRM user that records can be assigned to.</summary>
/// <param name="Id">The CRM's user or owner id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Email">The email, when known.</param>
public sealed record CrmUser(string Id, string Name, string? Email);
