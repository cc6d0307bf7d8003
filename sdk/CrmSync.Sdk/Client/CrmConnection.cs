namespace CrmSync.Sdk;

/// <summary>A connection as the host and widgets see it: no secrets, with its derived status.</summary>
public sealed record CrmConnection
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the CRM name users see.</summary>
    public required string ProviderDisplayName { get; init; }

    /// <summary>Gets the account the connection is linked to.</summary>
    public string? AccountLabel { get; init; }

    /// <summary>Gets the datacenter, when the CRM has several.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Gets whether credentials are stored.</summary>
    public bool HasCredentials { get; init; }

    /// <summary>Gets the settings.</summary>
    public required ConnectionSettings Settings { get; init; }

    /// <summary>Gets the stored status facts.</summary>
    public required ConnectionState State { get; init; }

    /// <summary>Gets the derived status, health and success rate.</summary>
    public required ConnectionStatusReport Status { get; init; }

    /// <summary>Gets the provider's capabilities.</summary>
    public required CrmProviderCapabilities Capabilities { get; init; }

    /// <summary>Gets whether an import of existing contacts is still being pushed.</summary>
    public bool ImportRunning { get; init; }

    /// <summary>Gets when the connection was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Gets whether the CRM is connected right now: signed in, not revoked, not disconnected and the sign-in not expired.
    /// Only then may a widget say "Connected to …".
    /// </summary>
    public bool IsConnected => State.ConnectedAt is not null && State.RevokedAt is null && State.DisconnectedAt is null
        && State.AutoPauseKind != StatusReasonKind.ExpiredCredentials;

    /// <summary>Gets the setup checklist.</summary>
    public SetupChecklist Checklist => new(
        Connected: IsConnected,
        StartingPointChosen: State.StartingPoint != StartingPoint.NotChosen,
        MappingReviewed: State.MappingReviewedAt is not null,
        TestContactSent: State.TestContactSentAt is not null,
        Dismissed: State.ChecklistDismissed);

    /// <summary>
    /// Gets a plain sentence about the sign-in that just completed (for example "Your Zoho account is in Europe; we switched to
    /// zoho.eu."), set only on the connection <see cref="CrmSyncClient.CompleteSignInAsync(string, string, IReadOnlyDictionary{string, string}, CancellationToken)"/> returns.
    /// </summary>
    public string? SignInNotice { get; init; }
}

/// <summary>The four first-time setup steps.</summary>
/// <param name="Connected">Step 1: the CRM is connected.</param>
/// <param name="StartingPointChosen">Step 2: import or skip was chosen.</param>
/// <param name="MappingReviewed">Step 3: the field mapping was reviewed.</param>
/// <param name="TestContactSent">Step 4: a test contact went through.</param>
/// <param name="Dismissed">Whether the guide was dismissed.</param>
public sealed record SetupChecklist(bool Connected, bool StartingPointChosen, bool MappingReviewed, bool TestContactSent, bool Dismissed)
{
    /// <summary>Gets whether all four steps are done.</summary>
    public bool IsComplete => Connected && StartingPointChosen && MappingReviewed && TestContactSent;

    /// <summary>Gets how many of the four steps are done (each tick counts, whatever the order they were done in).</summary>
    public int StepsDone => (Connected ? 1 : 0) + (StartingPointChosen ? 1 : 0) + (MappingReviewed ? 1 : 0) + (TestContactSent ? 1 : 0);

    /// <summary>Gets the 1-based current step, or 0 when complete.</summary>
    public int CurrentStep => !Connected ? 1 : !StartingPointChosen ? 2 : !MappingReviewed ? 3 : !TestContactSent ? 4 : 0;

}
