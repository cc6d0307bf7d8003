namespace CrmSync.Sdk;

/// <summary>
/// An install the CRM began in its own marketplace, waiting for the signed-in user to confirm it
/// (<see cref="CrmSyncClient.ConfirmInstallAsync"/>). Holds no secret: the tokens stay encrypted in the store.
/// </summary>
/// <param name="Id">The one-time id of the install.</param>
/// <param name="Provider">The provider name (for example <c>pipedrive</c>).</param>
/// <param name="DisplayName">The CRM's name users see.</param>
/// <param name="AccountLabel">The CRM account the install signed in to (for example the company name), when the CRM said.</param>
/// <param name="ExpiresAt">When the install lapses unless confirmed, when known.</param>
public sealed record CrmPendingInstall(string Id, string Provider, string DisplayName, string? AccountLabel, DateTimeOffset? ExpiresAt);
