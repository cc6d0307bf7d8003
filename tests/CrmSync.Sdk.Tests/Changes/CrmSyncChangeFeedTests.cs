using CrmSync.Sdk;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.Tests.Changes;

public class CrmSyncChangeFeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Publish_TwoSubscribersOfATenant_BothHearItOnceWithTheClockTime()
    {
        // Arrange
        var sut = new CrmSyncChangeFeed(new FakeTimeProvider(Now));
        var first = new List<CrmSyncChange>();
        var second = new List<CrmSyncChange>();
        using var a = sut.Subscribe("t1", c => { first.Add(c); return Task.CompletedTask; });
        using var b = sut.Subscribe("t1", c => { second.Add(c); return Task.CompletedTask; });
        var id = Guid.NewGuid();

        // Act
        sut.Publish("t1", id, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Alerts);

        // Assert
        var expected = new CrmSyncChange("t1", id, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Alerts, Now);
        Assert.Equal([expected], first);
        Assert.Equal([expected], second);
    }

    [Fact]
    public void Publish_OtherTenantOrNothingChanged_ReachesNobody()
    {
        // Arrange
        var sut = new CrmSyncChangeFeed(new FakeTimeProvider(Now));
        var heard = 0;
        using var subscription = sut.Subscribe("t1", _ => { heard++; return Task.CompletedTask; });

        // Act
        sut.Publish("t2", null, CrmSyncChangeKinds.Facts);
        sut.Publish("t1", null, CrmSyncChangeKinds.None);

        // Assert
        Assert.Equal(0, heard);
    }

    [Fact]
    public void Publish_AfterDispose_IsNotHeardAndOthersStillAre()
    {
        // Arrange
        var sut = new CrmSyncChangeFeed(new FakeTimeProvider(Now));
        var gone = 0;
        var kept = 0;
        var subscription = sut.Subscribe("t1", _ => { gone++; return Task.CompletedTask; });
        using var other = sut.Subscribe("t1", _ => { kept++; return Task.CompletedTask; });

        // Act
        subscription.Dispose();
        subscription.Dispose();
        sut.Publish("t1", null, CrmSyncChangeKinds.Runs);

        // Assert
        Assert.Equal(0, gone);
        Assert.Equal(1, kept);
    }

    [Fact]
    public void Publish_HandlerThrows_OtherHandlersStillRun()
    {
        // Arrange
        var sut = new CrmSyncChangeFeed(new FakeTimeProvider(Now));
        var heard = 0;
        using var broken = sut.Subscribe("t1", _ => throw new InvalidOperationException("widget gone"));
        using var faulted = sut.Subscribe("t1", _ => Task.FromException(new InvalidOperationException("widget gone")));
        using var working = sut.Subscribe("t1", _ => { heard++; return Task.CompletedTask; });

        // Act
        sut.Publish("t1", null, CrmSyncChangeKinds.Ledger);

        // Assert
        Assert.Equal(1, heard);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Subscribe_NoTenant_Throws(string? tenant)
    {
        // Arrange
        var sut = new CrmSyncChangeFeed();

        // Act + Assert
        Assert.ThrowsAny<ArgumentException>(() => sut.Subscribe(tenant!, _ => Task.CompletedTask));
    }
}
