namespace CrmSync.Sdk;

/// <summary>The status of a lead-source integration (a lead partner that sends leads with an agreed source value).</summary>
public enum LeadSourceStatus
{
    /// <summary>Created; waiting for a test lead with the expected source value and for a user to complete setup.</summary>
    SetupIncomplete = 0,

    /// <summary>Setup was completed once. Not dynamic: later wrong source values are reported but do not change it.</summary>
    Active = 1,

    /// <summary>Paused by a user, or automatically because validation found expired credentials (see <see cref="LeadSourceIntegration.PauseReason"/>).</summary>
    Paused = 2,

    /// <summary>The last sync failed; it is retried automatically at <see cref="LeadSourceIntegration.NextRetryAt"/>.</summary>
    FailedSync = 3,
}

/// <summary>Why a lead-source integration is paused.</summary>
public enum LeadSourcePauseReason
{
    /// <summary>A user paused it.</summary>
    Manual = 0,

    /// <summary>Validation found the credentials expired; it resumes when validation passes again.</summary>
    ExpiredCredentials = 1,
}

/// <summary>A lead received with a source value other than the expected one.</summary>
/// <param name="Received">The source value received (<see langword="null"/> when the lead had none).</param>
/// <param name="Expected">The source value expected.</param>
/// <param name="At">When the lead was received.</param>
public sealed record LeadSourceMismatch(string? Received, string Expected, DateTimeOffset At)
{
    /// <summary>Gets the plain-language report shown to users.</summary>
    public string Message => Received is null
        ? $"A lead arrived without a source value; expected exactly '{Expected}'. Ask the lead partner for a revision."
        : $"A lead arrived with source value '{Received}'; expected exactly '{Expected}'. Ask the lead partner for a revision.";
}

/// <summary>The setup tracker of a lead-source integration.</summary>
public sealed record LeadSourceSetupTracker
{
    /// <summary>Gets when a test lead with exactly the expected source value was first received.</summary>
    public DateTimeOffset? TestLeadReceivedAt { get; init; }

    /// <summary>Gets the source value of the last lead received during setup.</summary>
    public string? LastReceivedSourceValue { get; init; }

    /// <summary>Gets how many leads arrived during setup.</summary>
    public int LeadsReceivedDuringSetup { get; init; }

    /// <summary>Gets when setup was completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets who completed setup.</summary>
    public string? CompletedBy { get; init; }

    /// <summary>Gets whether a matching test lead was received (step 1 of the tracker).</summary>
    public bool TestLeadMatched => TestLeadReceivedAt is not null;

    /// <summary>Gets whether setup was completed (step 2 of the tracker).</summary>
    public bool Completed => CompletedAt is not null;
}

/// <summary>A lead-source integration of one tenant. Change it only through <see cref="LeadSourceStateMachine.Apply"/>.</summary>
public sealed record LeadSourceIntegration
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the integration id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the name users see (for example the lead partner's name).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the source value leads must carry, compared exactly (case and spaces matter).</summary>
    public required string ExpectedSourceValue { get; init; }

    /// <summary>Gets the status.</summary>
    public LeadSourceStatus Status { get; init; }

    /// <summary>Gets why it is paused, when <see cref="Status"/> is <see cref="LeadSourceStatus.Paused"/>.</summary>
    public LeadSourcePauseReason? PauseReason { get; init; }

    /// <summary>Gets the setup tracker.</summary>
    public LeadSourceSetupTracker Setup { get; init; } = new();

    /// <summary>Gets the last lead with a wrong source value.</summary>
    public LeadSourceMismatch? LastMismatch { get; init; }

    /// <summary>Gets how many leads arrived in total.</summary>
    public long LeadsReceived { get; init; }

    /// <summary>Gets failed syncs in a row.</summary>
    public int FailedAttempts { get; init; }

    /// <summary>Gets the last sync error, without secrets.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when a failed sync is retried automatically.</summary>
    public DateTimeOffset? NextRetryAt { get; init; }

    /// <summary>Gets when a sync last succeeded.</summary>
    public DateTimeOffset? LastSyncAt { get; init; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets whether "Complete setup" is enabled: in setup, and a test lead with exactly the expected source value arrived.</summary>
    public bool CanCompleteSetup => Status == LeadSourceStatus.SetupIncomplete && Setup.TestLeadMatched;
}
