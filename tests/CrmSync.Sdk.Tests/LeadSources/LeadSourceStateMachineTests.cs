using CrmSync.Sdk;
using E = CrmSync.Sdk.LeadSourceEvent;
using S = CrmSync.Sdk.LeadSourceStatus;

namespace CrmSync.Sdk.Tests.LeadSources;

public class LeadSourceStateMachineTests
{
    private const string Expected = "PartnerX-Leads";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    private static readonly LeadSourceIntegration Setup = new()
    {
        TenantId = "t",
        Id = Guid.Parse("11111111-1111-1111-1111-111111111111"),
        Name = "Partner X",
        ExpectedSourceValue = Expected,
        CreatedAt = Now.AddDays(-1),
        UpdatedAt = Now.AddDays(-1),
    };

    private static readonly LeadSourceIntegration SetupMatched = Setup with { Setup = new LeadSourceSetupTracker { TestLeadReceivedAt = Now.AddHours(-1), LastReceivedSourceValue = Expected, LeadsReceivedDuringSetup = 1 } };
    private static readonly LeadSourceIntegration Active = SetupMatched with { Status = S.Active, Setup = SetupMatched.Setup with { CompletedAt = Now.AddMinutes(-30), CompletedBy = "u" } };
    private static readonly LeadSourceIntegration Failed = Active with { Status = S.FailedSync, FailedAttempts = 2, LastError = "503", NextRetryAt = Now.AddMinutes(2) };
    private static readonly LeadSourceIntegration PausedManual = Active with { Status = S.Paused, PauseReason = LeadSourcePauseReason.Manual };
    private static readonly LeadSourceIntegration PausedExpired = Active with { Status = S.Paused, PauseReason = LeadSourcePauseReason.ExpiredCredentials, LastError = "Expired credentials." };
    private static readonly LeadSourceIntegration PausedManualAfterFailures = Failed with { Status = S.Paused, PauseReason = LeadSourcePauseReason.Manual, NextRetryAt = null };

    private static readonly Dictionary<string, LeadSourceIntegration> States = new()
    {
        ["Setup"] = Setup,
        ["SetupMatched"] = SetupMatched,
        ["Active"] = Active,
        ["FailedSync"] = Failed,
        ["PausedManual"] = PausedManual,
        ["PausedExpired"] = PausedExpired,
        ["PausedManualAfterFailures"] = PausedManualAfterFailures,
    };

    private static readonly Dictionary<string, E> Events = new()
    {
        ["LeadExact"] = new E.LeadReceived(Now, Expected),
        ["LeadWrong"] = new E.LeadReceived(Now, "partnerx-leads"),
        ["Complete"] = new E.SetupCompleted(Now, "manager-1"),
        ["Pause"] = new E.Paused(Now, "manager-1"),
        ["Resume"] = new E.Resumed(Now, "manager-1"),
        ["Expired"] = new E.CredentialsExpired(Now, "token expired"),
        ["Valid"] = new E.ValidationPassed(Now),
        ["SyncFailed"] = new E.SyncFailed(Now, "502 Bad Gateway"),
        ["SyncOk"] = new E.SyncSucceeded(Now),
    };

    // Every status × every event: (state, event, accepted, status after, pause reason after).
    public static TheoryData<string, string, bool, S, LeadSourcePauseReason?> Transitions => new()
    {
        { "Setup", "LeadExact", true, S.SetupIncomplete, null },
        { "Setup", "LeadWrong", true, S.SetupIncomplete, null },
        { "Setup", "Complete", false, S.SetupIncomplete, null },
        { "Setup", "Pause", false, S.SetupIncomplete, null },
        { "Setup", "Resume", false, S.SetupIncomplete, null },
        { "Setup", "Expired", false, S.SetupIncomplete, null },
        { "Setup", "Valid", false, S.SetupIncomplete, null },
        { "Setup", "SyncFailed", false, S.SetupIncomplete, null },
        { "Setup", "SyncOk", false, S.SetupIncomplete, null },

        { "SetupMatched", "LeadExact", true, S.SetupIncomplete, null },
        { "SetupMatched", "LeadWrong", true, S.SetupIncomplete, null },
        { "SetupMatched", "Complete", true, S.Active, null },
        { "SetupMatched", "Pause", false, S.SetupIncomplete, null },
        { "SetupMatched", "Resume", false, S.SetupIncomplete, null },
        { "SetupMatched", "Expired", false, S.SetupIncomplete, null },
        { "SetupMatched", "Valid", false, S.SetupIncomplete, null },
        { "SetupMatched", "SyncFailed", false, S.SetupIncomplete, null },
        { "SetupMatched", "SyncOk", false, S.SetupIncomplete, null },

        { "Active", "LeadExact", true, S.Active, null },
        { "Active", "LeadWrong", true, S.Active, null },
        { "Active", "Complete", false, S.Active, null },
        { "Active", "Pause", true, S.Paused, LeadSourcePauseReason.Manual },
        { "Active", "Resume", false, S.Active, null },
        { "Active", "Expired", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "Active", "Valid", true, S.Active, null },
        { "Active", "SyncFailed", true, S.FailedSync, null },
        { "Active", "SyncOk", true, S.Active, null },

        { "FailedSync", "LeadExact", true, S.FailedSync, null },
        { "FailedSync", "LeadWrong", true, S.FailedSync, null },
        { "FailedSync", "Complete", false, S.FailedSync, null },
        { "FailedSync", "Pause", true, S.Paused, LeadSourcePauseReason.Manual },
        { "FailedSync", "Resume", false, S.FailedSync, null },
        { "FailedSync", "Expired", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "FailedSync", "Valid", true, S.FailedSync, null },
        { "FailedSync", "SyncFailed", true, S.FailedSync, null },
        { "FailedSync", "SyncOk", true, S.Active, null },

        { "PausedManual", "LeadExact", true, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "LeadWrong", true, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "Complete", false, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "Pause", false, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "Resume", true, S.Active, null },
        { "PausedManual", "Expired", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedManual", "Valid", true, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "SyncFailed", false, S.Paused, LeadSourcePauseReason.Manual },
        { "PausedManual", "SyncOk", false, S.Paused, LeadSourcePauseReason.Manual },

        { "PausedExpired", "LeadExact", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "LeadWrong", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "Complete", false, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "Pause", false, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "Resume", false, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "Expired", true, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "Valid", true, S.Active, null },
        { "PausedExpired", "SyncFailed", false, S.Paused, LeadSourcePauseReason.ExpiredCredentials },
        { "PausedExpired", "SyncOk", false, S.Paused, LeadSourcePauseReason.ExpiredCredentials },

        { "PausedManualAfterFailures", "Resume", true, S.FailedSync, null },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Apply_EveryStatusAndEvent_MovesAsSpecified(string state, string @event, bool accepted, S status, LeadSourcePauseReason? reason)
    {
        // Arrange
        var before = States[state];

        // Act
        var t = LeadSourceStateMachine.Apply(before, Events[@event], Delay, MaxDelay);

        // Assert
        Assert.True(accepted == t.Accepted, $"{state} + {@event}: expected accepted={accepted}, got {t.Accepted} ({t.Rejection})");
        Assert.True(status == t.Integration.Status, $"{state} + {@event}: expected {status}, got {t.Integration.Status}");
        Assert.True(reason == t.Integration.PauseReason, $"{state} + {@event}: expected pause reason {reason}, got {t.Integration.PauseReason}");
        if (!accepted)
        {
            Assert.Same(before, t.Integration);
            Assert.False(string.IsNullOrWhiteSpace(t.Rejection));
        }
    }

    [Fact]
    public void Transitions_CoverEveryStatusWithEveryEvent()
    {
        // Arrange
        var rows = Transitions.Select(r => ((string)r[0], (string)r[1])).ToHashSet();

        // Act
        var missing = States.Keys.Where(s => s != "PausedManualAfterFailures")
            .SelectMany(s => Events.Keys.Select(e => (s, e)))
            .Where(pair => !rows.Contains(pair))
            .ToList();

        // Assert
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("PartnerX-Leads", true)]
    [InlineData("partnerx-leads", false)]
    [InlineData("PartnerX-Leads ", false)]
    [InlineData(" PartnerX-Leads", false)]
    [InlineData("PartnerX Leads", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Apply_TestLeadDuringSetup_EnablesCompleteSetupOnlyForTheExactValue(string? received, bool enables)
    {
        // Act
        var t = LeadSourceStateMachine.Apply(Setup, new E.LeadReceived(Now, received), Delay, MaxDelay);

        // Assert
        Assert.Equal(enables, t.Integration.CanCompleteSetup);
        Assert.Equal(enables, t.Mismatch is null);
        Assert.Equal(received, t.Integration.Setup.LastReceivedSourceValue);
        if (!enables)
        {
            Assert.Equal(new LeadSourceMismatch(received, Expected, Now), t.Mismatch);
            Assert.Contains(Expected, t.Mismatch!.Message, StringComparison.Ordinal);
            Assert.Equal(t.Mismatch, t.Integration.LastMismatch);
        }
    }

    [Fact]
    public void Apply_WrongLeadAfterAMatchingOne_KeepsCompleteSetupEnabledAndReportsTheMismatch()
    {
        // Act
        var t = LeadSourceStateMachine.Apply(SetupMatched, Events["LeadWrong"], Delay, MaxDelay);

        // Assert
        Assert.True(t.Integration.CanCompleteSetup);
        Assert.Equal("partnerx-leads", t.Mismatch?.Received);
        Assert.Equal(Expected, t.Mismatch?.Expected);
    }

    [Fact]
    public void Apply_WrongLeadWhileActive_ReportsButStaysActive()
    {
        // Act
        var t = LeadSourceStateMachine.Apply(Active, Events["LeadWrong"], Delay, MaxDelay);

        // Assert
        Assert.Equal(S.Active, t.Integration.Status);
        Assert.NotNull(t.Mismatch);
        Assert.Equal(Active.LeadsReceived + 1, t.Integration.LeadsReceived);
    }

    [Fact]
    public void Apply_CompleteSetup_RecordsWhoAndWhenInTheTracker()
    {
        // Act
        var t = LeadSourceStateMachine.Apply(SetupMatched, Events["Complete"], Delay, MaxDelay);

        // Assert
        Assert.True(t.Integration.Setup.Completed);
        Assert.Equal("manager-1", t.Integration.Setup.CompletedBy);
        Assert.Equal(Now, t.Integration.Setup.CompletedAt);
        Assert.False(t.Integration.CanCompleteSetup);
    }

    [Fact]
    public void Apply_RepeatedSyncFailures_ScheduleRetriesWithDoublingDelay()
    {
        // Arrange
        var state = Active;
        var retries = new List<TimeSpan>();

        // Act
        for (var i = 0; i < 4; i++)
        {
            state = LeadSourceStateMachine.Apply(state, new E.SyncFailed(Now, "boom"), Delay, MaxDelay).Integration;
            retries.Add(state.NextRetryAt!.Value - Now);
        }

        var recovered = LeadSourceStateMachine.Apply(state, Events["SyncOk"], Delay, MaxDelay).Integration;

        // Assert
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)], retries);
        Assert.Equal(4, state.FailedAttempts);
        Assert.Equal("boom", state.LastError);
        Assert.Equal(0, recovered.FailedAttempts);
        Assert.Null(recovered.NextRetryAt);
        Assert.Equal(Now, recovered.LastSyncAt);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(7, 60)]
    [InlineData(40, 60)]
    public void RetryDelay_Attempts_DoublesUpToTheCap(int attempts, int expectedMinutes)
    {
        // Act
        var delay = LeadSourceStateMachine.RetryDelay(attempts, Delay, MaxDelay);

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), delay);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void IsRetryDue_FailedSync_DueOnceTheRetryTimeIsReached(int minutesUntilRetry, bool due)
    {
        // Arrange
        var state = Failed with { NextRetryAt = Now.AddMinutes(minutesUntilRetry) };

        // Act
        var result = LeadSourceStateMachine.IsRetryDue(state, Now);

        // Assert
        Assert.Equal(due, result);
        Assert.False(LeadSourceStateMachine.IsRetryDue(PausedManualAfterFailures with { NextRetryAt = Now.AddMinutes(-5) }, Now));
    }

    [Fact]
    public void Apply_ResumeAfterPausingAFailingIntegration_RetriesAtOnce()
    {
        // Act
        var t = LeadSourceStateMachine.Apply(PausedManualAfterFailures, Events["Resume"], Delay, MaxDelay);

        // Assert
        Assert.Equal(Now, t.Integration.NextRetryAt);
        Assert.True(LeadSourceStateMachine.IsRetryDue(t.Integration, Now));
    }
}
