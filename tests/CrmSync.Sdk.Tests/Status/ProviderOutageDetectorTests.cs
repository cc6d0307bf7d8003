using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Status;

public class ProviderOutageDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Detect_TwoTenantsFailingInWindow_ReportsOutage()
    {
        // Arrange
        var facts = new (string, string, DateTimeOffset?)[]
        {
            ("hubspot", "t1", Now.AddMinutes(-1)),
            ("hubspot", "t2", Now.AddMinutes(-15)),
            ("zoho", "t1", Now.AddMinutes(-1)),
        };

        // Act
        var outages = ProviderOutageDetector.Detect(facts, Now, new StatusRules());

        // Assert
        Assert.Equal(["hubspot"], outages);
    }

    [Fact]
    public void Detect_OneTenantWithManyConnections_IsNotAnOutage()
    {
        // Arrange
        var facts = new (string, string, DateTimeOffset?)[] { ("hubspot", "t1", Now), ("hubspot", "t1", Now) };

        // Act + Assert
        Assert.Empty(ProviderOutageDetector.Detect(facts, Now, new StatusRules()));
    }

    [Fact]
    public void Detect_FailureJustOutsideWindow_IsIgnored()
    {
        // Arrange
        var facts = new (string, string, DateTimeOffset?)[] { ("hubspot", "t1", Now), ("hubspot", "t2", Now.AddMinutes(-15).AddTicks(-1)) };

        // Act + Assert
        Assert.Empty(ProviderOutageDetector.Detect(facts, Now, new StatusRules()));
    }
}
