using CrmSync.Providers.Pipedrive;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Pipedrive provider.</summary>
public static class PipedriveCrmSyncBuilderExtensions
{
    /// <summary>The name of the Pipedrive API HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.Pipedrive";

    /// <summary>The name of the HTTP client of Pipedrive's OAuth server.</summary>
    public const string OAuthHttpClientName = "CrmSync.Pipedrive.OAuth";

    /// <summary>
    /// Adds the Pipedrive provider through the shared provider registration (<see cref="CrmProviderRegistration"/>): Refit clients
    /// for the API and the OAuth server from <see cref="IHttpClientFactory"/>, with the standard resilience handler (transport
    /// faults of requests safe to repeat, circuit breakers per company domain) and the per-connection request budget inside it.
    /// Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Configures the options (OAuth client, limits, base addresses for a simulator).</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddPipedrive(this ICrmSyncBuilder builder, Action<PipedriveOptions>? configure = null) =>
        builder.AddCrmProvider<PipedriveCrmProvider, PipedriveOptions>(
            PipedriveCrmProvider.ProviderName,
            PipedriveCrmProvider.ProviderDisplayName,
            configure,
            http =>
            {
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipedriveOptions>, PipedriveOptionsValidator>());
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipedriveOptions>, PipedriveOptionsRulesValidator>());
                http.Services.AddSingleton(sp => new PipedriveBudgets(
                    sp.GetCrmRequestBudget(PipedriveCrmProvider.ProviderName), sp.GetRequiredService<IOptions<PipedriveOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
                http.AddRefitClient<IPipedriveApi>(HttpClientName, PipedriveJson.Options, o => o.ApiBaseAddress, PipedriveBudgets.ReadGeneral);
                http.AddRefitClient<IPipedriveOAuthApi>(OAuthHttpClientName, PipedriveJson.Options, o => o.OAuthBaseAddress);
            },
            sp => new PipedriveCrmProvider(
                sp.GetRequiredService<CrmApiClientFactory<IPipedriveApi>>(),
                sp.GetRequiredService<CrmApiClientFactory<IPipedriveOAuthApi>>(),
                sp.GetRequiredService<IOptions<PipedriveOptions>>().Value,
                sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
                sp.GetRequiredService<PipedriveBudgets>(),
                new CrmUnconfirmedWrites(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PipedriveCrmProvider>>()));
}
