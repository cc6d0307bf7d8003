using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CrmSync.</summary>
public static class CrmSyncServiceCollectionExtensions
{
    /// <summary>Adds the CrmSync engine, client, scheduler, telemetry and credential protection. Chain a store (<c>.UseSqlite(…)</c>) and providers.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures options; they are validated on start.</param>
    /// <returns>The builder.</returns>
    public static ICrmSyncBuilder AddCrmSync(this IServiceCollection services, Action<CrmSyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrmSyncOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrmSyncOptions>, CrmSyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrmSyncOptions>, CrmSyncOptionsRulesValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.AddDataProtection();
        services.TryAddSingleton<ICrmCredentialProtector, DataProtectionCredentialProtector>();
        services.TryAddSingleton<CrmSyncInstruments>();
        services.TryAddSingleton<CrmProviderRegistry>();
        services.TryAddSingleton<CrmContextFactory>();
        services.TryAddSingleton(sp => new CrmSyncChangeFeed(sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<CrmSyncChangeFeed>>()));
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<SyncEngine>();
        services.TryAddSingleton(sp => new CrmSyncClient(
            sp.GetRequiredService<ICrmSyncStore>(),
            sp.GetRequiredService<CrmProviderRegistry>(),
            sp.GetRequiredService<SyncEngine>(),
            sp.GetRequiredService<ICrmCredentialProtector>(),
            sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CrmSyncInstruments>(),
            sp,
            sp.GetRequiredService<ILogger<CrmSyncClient>>())
        {
            Changes = sp.GetRequiredService<CrmSyncChangeFeed>(),
        });
        services.TryAddSingleton(sp => new CrmSyncWorkflowStep(
            sp.GetRequiredService<ICrmSyncStore>(),
            sp.GetRequiredService<CrmProviderRegistry>(),
            sp.GetRequiredService<SyncEngine>(),
            sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CrmSyncWorkflowStep>>()));
        services.TryAddSingleton(sp => new CrmImportClient(
            sp.GetRequiredService<ICrmSyncStore>(),
            sp.GetRequiredService<CrmProviderRegistry>(),
            sp.GetRequiredService<CrmContextFactory>(),
            sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp,
            sp.GetRequiredService<ILogger<CrmImportClient>>())
        {
            Changes = sp.GetRequiredService<CrmSyncChangeFeed>(),
        });
        services.TryAddSingleton(sp => new CrmLeadSourceClient(
            sp.GetRequiredService<ICrmSyncStore>(),
            sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CrmSyncStoreInitializer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CrmSyncScheduler>());
        return new CrmSyncBuilder(services);
    }
}
