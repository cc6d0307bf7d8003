using System.Text.Json.Nodes;

namespace CrmSync.Providers.Simulation.Tests;

public class CrmSimulatorMeterTests
{
    [Fact]
    public void Snapshot_AfterCharges_ReportsUnitsRequestsAndWhatIsLeftToday()
    {
        // Arrange
        var meter = new CrmSimulatorMeter("credits");
        meter.Charge(1);
        meter.Charge(2);
        meter.Charge(0);

        // Act
        var usage = meter.Snapshot(requests: 5, dailyLimit: 10, dailyUsed: 3);

        // Assert
        Assert.Equal(new CrmSimulatorUsage("credits", 5, 3, 10, 3), usage);
        Assert.Equal(7, usage.DailyRemaining);
    }

    [Fact]
    public void Snapshot_NoDailyLimit_HasNoRemaining()
    {
        // Act
        var usage = new CrmSimulatorMeter("calls").Snapshot(requests: 1, dailyLimit: null, dailyUsed: 0);

        // Assert
        Assert.Null(usage.DailyRemaining);
    }

    [Fact]
    public void Reset_AfterCharges_StartsFromZero()
    {
        // Arrange
        var meter = new CrmSimulatorMeter("tokens");
        meter.Charge(20);

        // Act
        meter.Reset();

        // Assert
        Assert.Equal(0, meter.Used);
    }

    [Fact]
    public void Charge_NegativeUnits_Throws()
    {
        // Arrange
        var meter = new CrmSimulatorMeter("tokens");

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => meter.Charge(-1));
    }

    [Fact]
    public void Charge_FromManyThreads_CountsEveryUnit()
    {
        // Arrange
        var meter = new CrmSimulatorMeter("calls");

        // Act
        Parallel.For(0, 1000, _ => meter.Charge(1));

        // Assert
        Assert.Equal(1000, meter.Used);
    }

    [Fact]
    public void TextOf_StoredJson_KeepsTextAndWritesOtherValuesAsJson()
    {
        // Arrange
        var fields = new JsonObject
        {
            ["name"] = "Ada",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = "ada@example.test" }),
            ["owner_id"] = 7,
            ["org_id"] = null,
        };

        // Act
        var text = CrmSimulatorRecord.TextOf(fields);

        // Assert
        Assert.Equal("Ada", text["name"]);
        Assert.Equal("[{\"value\":\"ada@example.test\"}]", text["emails"]);
        Assert.Equal("7", text["owner_id"]);
        Assert.Null(text["org_id"]);
    }
}
