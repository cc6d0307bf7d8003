using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Status;

public class ConnectionStatusClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly StatusRules Rules = new();

    private static ConnectionState Active(TimeSpan sinceSuccess) => new()
    {
        ConnectedAt = Now.AddDays(-10),
        StartingPoint = StartingPoint.Skip,
        LastRunAt = Now - sinceSuccess,
        LastRunOutcome = SyncRunOutcome.Success,
        LastSuccessAt = Now - sinceSuccess,
    };

    public static TheoryData<string, ConnectionState, ConnectionStatus, ConnectionHealth> Cases => new()
    {
        { "never connected", new ConnectionState(), ConnectionStatus.SetupIncomplete, ConnectionHealth.Unknown },
        { "connected, starting point not chosen", new ConnectionState { ConnectedAt = Now }, ConnectionStatus.SetupIncomplete, ConnectionHealth.Unknown },
        { "healthy", Active(TimeSpan.FromMinutes(5)), ConnectionStatus.Active, ConnectionHealth.Green },
        { "connected, no run yet", new ConnectionState { ConnectedAt = Now.AddMinutes(-1), StartingPoint = StartingPoint.Skip }, ConnectionStatus.Active, ConnectionHealth.Unknown },
        { "warning run", Active(TimeSpan.FromMinutes(5)) with { LastRunOutcome = SyncRunOutcome.Warning }, ConnectionStatus.Active, ConnectionHealth.Amber },
        { "CRM not responding, below the outage threshold", Active(TimeSpan.FromMinutes(5)) with { LastRunOutcome = SyncRunOutcome.ProviderUnavailable, OutageStartedAt = Now, OutageWaits = 1 }, ConnectionStatus.Active, ConnectionHealth.Amber },
        { "rate limited run is a wait", Active(TimeSpan.FromMinutes(5)) with { LastRunOutcome = SyncRunOutcome.RateLimited }, ConnectionStatus.Active, ConnectionHealth.Green },
        { "stale exactly at 36 h is not stale", Active(TimeSpan.FromHours(36)), ConnectionStatus.Active, ConnectionHealth.Green },
        { "stale one tick after 36 h", Active(TimeSpan.FromHours(36) + TimeSpan.FromTicks(1)), ConnectionStatus.Stale, ConnectionHealth.Amber },
        { "never succeeded, connected 37 h ago", new ConnectionState { ConnectedAt = Now.AddHours(-37), StartingPoint = StartingPoint.Skip }, ConnectionStatus.Stale, ConnectionHealth.Amber },
        { "last run failed", Active(TimeSpan.FromHours(1)) with { LastRunOutcome = SyncRunOutcome.Failed, LastError = "boom" }, ConnectionStatus.Error, ConnectionHealth.Red },
        { "failed beats stale", Active(TimeSpan.FromHours(40)) with { LastRunOutcome = SyncRunOutcome.Failed }, ConnectionStatus.Error, ConnectionHealth.Red },
        { "paused by user", Active(TimeSpan.FromHours(1)) with { PausedByUser = true }, ConnectionStatus.Paused, ConnectionHealth.Green },
        { "paused by user beats error", Active(TimeSpan.FromHours(1)) with { PausedByUser = true, LastRunOutcome = SyncRunOutcome.Failed }, ConnectionStatus.Paused, ConnectionHealth.Red },
        { "auto paused, expired credentials", Active(TimeSpan.FromHours(1)) with { AutoPauseReason = "Expired credentials" }, ConnectionStatus.Paused, ConnectionHealth.Amber },
        { "auto paused until later", Active(TimeSpan.FromHours(1)) with { AutoPauseReason = "Daily limit", AutoPausedUntil = Now.AddMinutes(1) }, ConnectionStatus.Paused, ConnectionHealth.Amber },
        { "auto pause ended exactly now", Active(TimeSpan.FromHours(1)) with { AutoPauseReason = "Daily limit", AutoPausedUntil = Now }, ConnectionStatus.Active, ConnectionHealth.Green },
        { "revoked", Active(TimeSpan.FromHours(1)) with { RevokedAt = Now, RevokedReason = "invalid_grant" }, ConnectionStatus.Revoked, ConnectionHealth.Red },
        { "revoked beats disconnected", Active(TimeSpan.FromHours(1)) with { RevokedAt = Now, DisconnectedAt = Now }, ConnectionStatus.Revoked, ConnectionHealth.Red },
        { "disconnected", Active(TimeSpan.FromHours(50)) with { DisconnectedAt = Now }, ConnectionStatus.Disconnected, ConnectionHealth.Unknown },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Facts_GivesStatusAndHealth(string scenario, ConnectionState state, ConnectionStatus expectedStatus, ConnectionHealth expectedHealth)
    {
        // Act
        var report = ConnectionStatusClassifier.Classify(state, [], Now, Rules);

        // Assert
        Assert.True(expectedStatus == report.Status, $"{scenario}: expected {expectedStatus}, got {report.Status}");
        Assert.True(expectedHealth == report.Health, $"{scenario}: expected health {expectedHealth}, got {report.Health}");
    }

    [Theory]
    [InlineData(36, false)]
    [InlineData(35, false)]
    [InlineData(37, true)]
    public void Classify_CustomStaleThreshold_UsesIt(int hoursQuiet, bool stale)
    {
        // Arrange
        var rules = new StatusRules { StaleAfter = TimeSpan.FromHours(36) };

        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromHours(hoursQuiet)), [], Now, rules);

        // Assert
        Assert.Equal(stale, report.Status == ConnectionStatus.Stale);
        Assert.Equal(stale, report.NeedsAttention);
    }

    [Theory]
    [InlineData(95, 5, ConnectionHealth.Green)]
    [InlineData(94, 6, ConnectionHealth.Amber)]
    [InlineData(80, 20, ConnectionHealth.Amber)]
    [InlineData(79, 21, ConnectionHealth.Red)]
    [InlineData(100, 0, ConnectionHealth.Green)]
    public void Classify_SuccessRate_ColoursHealthBarAtBoundaries(int synced, int failed, ConnectionHealth expected)
    {
        // Arrange
        var runs = new[] { new SyncRunSummary(Guid.Empty, Now, Now, SyncRunOutcome.Warning, synced, 3, failed, null) };

        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(1)), runs, Now, Rules);

        // Assert
        Assert.Equal(synced / 100.0, report.SuccessRate!.Value, 5);
        Assert.Equal(expected, report.SuccessRateHealth);
    }

    [Fact]
    public void SuccessRate_OnlyRecentRunsCount_IgnoresOlderRuns()
    {
        // Arrange: newest first; only the first two count.
        var runs = new[]
        {
            new SyncRunSummary(Guid.Empty, Now, Now, SyncRunOutcome.Success, 10, 0, 0, null),
            new SyncRunSummary(Guid.Empty, Now, Now, SyncRunOutcome.Success, 10, 0, 0, null),
            new SyncRunSummary(Guid.Empty, Now, Now, SyncRunOutcome.Failed, 0, 0, 100, null),
        };

        // Act
        var rate = ConnectionStatusClassifier.SuccessRate(runs, take: 2);

        // Assert
        Assert.Equal(1.0, rate);
    }

    [Fact]
    public void SuccessRate_NothingAttempted_IsNullAndUnknown()
    {
        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(1)), [new SyncRunSummary(Guid.Empty, Now, Now, SyncRunOutcome.Success, 0, 4, 0, null)], Now, Rules);

        // Assert
        Assert.Null(report.SuccessRate);
        Assert.Equal(ConnectionHealth.Unknown, report.SuccessRateHealth);
    }

    [Theory]
    [InlineData(ConnectionStatus.Error)]
    [InlineData(ConnectionStatus.Revoked)]
    [InlineData(ConnectionStatus.Stale)]
    public void Classify_ProblemStatuses_NeedAttention(ConnectionStatus status)
    {
        // Arrange
        var state = status switch
        {
            ConnectionStatus.Error => Active(TimeSpan.FromHours(1)) with { LastRunOutcome = SyncRunOutcome.Failed },
            ConnectionStatus.Revoked => Active(TimeSpan.FromHours(1)) with { RevokedAt = Now },
            _ => Active(TimeSpan.FromHours(40)),
        };

        // Act
        var report = ConnectionStatusClassifier.Classify(state, [], Now, Rules);

        // Assert
        Assert.Equal(status, report.Status);
        Assert.True(report.NeedsAttention);
    }

    [Fact]
    public void Classify_HealthyOrPausedByUser_DoesNotNeedAttention()
    {
        // Act
        var healthy = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(1)), [], Now, Rules);
        var paused = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(1)) with { PausedByUser = true }, [], Now, Rules);
        var dailyLimit = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(1)) with { AutoPauseReason = "Daily limit", AutoPausedUntil = Now.AddHours(2) }, [], Now, Rules);

        // Assert
        Assert.False(healthy.NeedsAttention);
        Assert.False(paused.NeedsAttention);
        Assert.False(dailyLimit.NeedsAttention);
    }

    [Fact]
    public void Classify_StaleReason_SaysHowLong()
    {
        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromHours(40)), [], Now, Rules);

        // Assert
        Assert.Equal("No successful sync for 40 hours.", report.Reason);
    }

    [Fact]
    public void Classify_DailyLimitPause_ReasonWithoutDateAndResumesAtStructured()
    {
        // Arrange
        var until = Now.AddHours(3);

        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(5)) with { AutoPauseReason = "HubSpot daily API limit reached; syncing resumes when it resets.", AutoPausedUntil = until }, [], Now, Rules);

        // Assert
        Assert.Equal(StatusReasonKind.DailyLimit, report.ReasonKind);
        Assert.Equal("HubSpot daily API limit reached; syncing resumes when it resets.", report.Reason);
        Assert.Equal(until, report.ResumesAt);
        Assert.Null(report.Since);
    }

    [Fact]
    public void Classify_ProviderOutage_ReasonWithoutDateAndSinceStructured()
    {
        // Arrange
        var started = Now.AddMinutes(-40);

        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(40)) with { OutageStartedAt = started, OutageWaits = 10 }, [], Now, Rules, "HubSpot");

        // Assert
        Assert.Equal(StatusReasonKind.ProviderOutage, report.ReasonKind);
        Assert.Equal("HubSpot is not responding; CrmSync retries automatically.", report.Reason);
        Assert.Equal(started, report.Since);
        Assert.Null(report.ResumesAt);
    }

    [Fact]
    public void Classify_Active_NoTimes()
    {
        // Act
        var report = ConnectionStatusClassifier.Classify(Active(TimeSpan.FromMinutes(5)), [], Now, Rules);

        // Assert
        Assert.Null(report.ResumesAt);
        Assert.Null(report.Since);
    }
}
