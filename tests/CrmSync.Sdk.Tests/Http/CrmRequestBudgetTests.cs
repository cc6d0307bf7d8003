using CrmSync.Sdk.Http;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.Tests.Http;

public class CrmRequestBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AcquireAsync_BurstSpent_WaitsForTheOldestSlotInsteadOfExceeding()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { BurstLimit = 2, BurstWindow = TimeSpan.FromSeconds(10) });
        var id = Guid.NewGuid();
        (await sut.AcquireAsync(id)).Dispose();
        time.Advance(TimeSpan.FromSeconds(4));
        (await sut.AcquireAsync(id)).Dispose();

        // Act
        var third = sut.AcquireAsync(id);
        var waitedBeforeFree = third.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(6));
        using var lease = await third;

        // Assert
        Assert.False(waitedBeforeFree);
        Assert.Equal(2, sut.GetUsage(id).BurstUsed);
    }

    [Fact]
    public async Task AcquireAsync_SlotStillInFlight_CountsUntilCompletionPlusWindow()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { BurstLimit = 1, BurstWindow = TimeSpan.FromSeconds(10) });
        var id = Guid.NewGuid();
        var slow = await sut.AcquireAsync(id);
        time.Advance(TimeSpan.FromSeconds(8));
        slow.Dispose();

        // Act
        var next = sut.AcquireAsync(id);
        time.Advance(TimeSpan.FromSeconds(9));
        var afterNine = next.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        (await next).Dispose();

        // Assert
        Assert.False(afterNine);
    }

    [Fact]
    public async Task AcquireAsync_WaitLongerThanMaxWait_ThrowsBurstRateLimit()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { BurstLimit = 1, BurstWindow = TimeSpan.FromMinutes(5), MaxWait = TimeSpan.FromSeconds(30) });
        var id = Guid.NewGuid();
        (await sut.AcquireAsync(id)).Dispose();

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(id));

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromMinutes(5), ex.RetryAfter);
        Assert.Equal("testcrm", ex.Provider);
    }

    [Fact]
    public async Task AcquireAsync_ConnectionsAreIndependent_OtherConnectionDoesNotWait()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { BurstLimit = 1, MaxWait = TimeSpan.Zero });
        (await sut.AcquireAsync(Guid.NewGuid())).Dispose();

        // Act
        var other = sut.AcquireAsync(Guid.NewGuid());

        // Assert
        Assert.True(other.IsCompletedSuccessfully);
        (await other).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_DailyQuotaSpent_ThrowsDailyUntilMidnightInTheZone()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC-5", TimeSpan.FromHours(-5), "UTC-5", "UTC-5");
        var sut = CreateSut(time, new() { DailyLimit = 2, DailyResetTimeZone = zone });
        var id = Guid.NewGuid();
        (await sut.AcquireAsync(id)).Dispose();
        (await sut.AcquireAsync(id)).Dispose();

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(id));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero) - Start, ex.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_ConnectionInItsOwnTimeZone_ResetsAtItsMidnightNotTheConfiguredOne()
    {
        // Arrange: configured UTC; this connection's account is five hours behind (HubSpot's private-app daily limit).
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { DailyLimit = 1 });
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        sut.SetDailyResetTimeZone(id, TimeZoneInfo.CreateCustomTimeZone("UTC-5", TimeSpan.FromHours(-5), "UTC-5", "UTC-5"));
        (await sut.AcquireAsync(id)).Dispose();
        (await sut.AcquireAsync(other)).Dispose();

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(id));
        var otherEx = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(other));

        // Assert
        Assert.Equal(TimeSpan.FromHours(20), ex.RetryAfter);
        Assert.Equal(TimeSpan.FromHours(15), otherEx.RetryAfter);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero), ex.ResetsAt);
        Assert.DoesNotContain("UTC", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("syncing resumes when it resets.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_AfterCalendarReset_AllowsRequestsAgain()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { DailyLimit = 1 });
        var id = Guid.NewGuid();
        (await sut.AcquireAsync(id)).Dispose();
        time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));

        // Act
        using var lease = await sut.AcquireAsync(id);

        // Assert
        Assert.Equal(1, sut.GetUsage(id).DailyUsed);
    }

    [Fact]
    public async Task ReportLimits_CrmSaysDailyRemainingZero_NextAcquireThrowsDailyUntilRollingWindowFrees()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { DailyWindow = CrmDailyLimitWindow.Rolling24Hours });
        var id = Guid.NewGuid();
        (await sut.AcquireAsync(id)).Dispose();

        // Act
        sut.ReportLimits(id, new CrmRateLimitSnapshot { DailyLimit = 15000, DailyRemaining = 0 });
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(id));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromHours(24), TimeSpan.FromHours(24).Add(TimeSpan.FromMinutes(1)));
        Assert.Equal(15000, sut.GetUsage(id).DailyUsed);
    }

    [Fact]
    public async Task ReportLimits_CrmCountedFewerThanUs_TrustsTheCrm()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { DailyLimit = 10 });
        var id = Guid.NewGuid();
        for (var i = 0; i < 5; i++)
        {
            (await sut.AcquireAsync(id)).Dispose();
        }

        // Act
        sut.ReportLimits(id, new CrmRateLimitSnapshot { DailyLimit = 10, DailyRemaining = 8 });

        // Assert
        Assert.Equal(2, sut.GetUsage(id).DailyUsed);
    }

    [Fact]
    public async Task ReportLimits_LowerBurstThanConfigured_AppliesTheCrmsLimit()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { BurstLimit = 100, MaxWait = TimeSpan.Zero });
        var id = Guid.NewGuid();

        // Act
        sut.ReportLimits(id, new CrmRateLimitSnapshot { BurstLimit = 1, BurstRemaining = 0, BurstWindow = TimeSpan.FromSeconds(10) });

        // Assert
        await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.AcquireAsync(id));
        Assert.Equal(1, sut.GetUsage(id).BurstLimit);
    }

    [Fact]
    public async Task ReportThrottled_RetryAfter_BlocksUntilItPasses()
    {
        // Arrange
        var time = new FakeTimeProvider(Start);
        var sut = CreateSut(time, new() { MaxWait = TimeSpan.FromMinutes(1) });
        var id = Guid.NewGuid();
        sut.ReportThrottled(id, TimeSpan.FromSeconds(10));

        // Act
        var acquire = sut.AcquireAsync(id);
        var blocked = !acquire.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(10));
        (await acquire).Dispose();

        // Assert
        Assert.True(blocked);
    }

    private static CrmRequestBudget CreateSut(TimeProvider time, CrmRequestBudgetOptions options) => new("testcrm", "Test CRM", options, time);
}
