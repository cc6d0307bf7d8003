using CrmSync.Sdk;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>Creates the demo's lead-source integration (a lead partner sending leads with a source value).</summary>
public sealed class DemoLeadSources(CrmLeadSourceClient leadSources, CrmSync.Sdk.Storage.ICrmSyncStore store) : IHostedService
{
    /// <summary>The source value the demo partner must send.</summary>
    public const string ExpectedSource = "partner-demo-leads";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        if ((await leadSources.GetAllAsync(DemoUsers.TenantId, cancellationToken)).Count == 0)
        {
            await leadSources.CreateAsync(CrmImportActor.Create("setup", "admin"), DemoUsers.TenantId, "Demo lead partner", ExpectedSource, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
