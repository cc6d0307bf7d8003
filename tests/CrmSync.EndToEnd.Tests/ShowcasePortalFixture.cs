namespace CrmSync.EndToEnd.Tests;

/// <summary>
/// One portal for a test class, with its clock frozen at <see cref="FrozenAt"/>: the gallery shows the same data, the same relative
/// times and no background syncing on every run, so its screenshots are stable.
/// </summary>
public sealed class ShowcasePortalFixture : IAsyncLifetime
{
    /// <summary>The instant the portal's clock stands still at.</summary>
    public const string FrozenAt = "2026-12-03T16:00:00Z";

    public PortalProcess Portal { get; private set; } = default!;

    public async Task InitializeAsync() =>
        Portal = await PortalProcess.StartAsync(environment: new Dictionary<string, string> { ["Portal__FrozenClock"] = FrozenAt });

    public async Task DisposeAsync()
    {
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }
    }
}
