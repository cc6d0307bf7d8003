using CrmSync.Providers.Zoho;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Zoho CRM provider.</summary>
public static class ZohoCrmSyncBuilderExtensions
{
    /// <summary>The name of the Zoho CRM API HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.Zoho";

    /// <summary>The name of the HTTP client of Zoho Accounts (sign-in and tokens).</summary>
    public const string AccountsHttpClientName = "CrmSync.Zoho.Accounts";

    /// <summary>
    /// Adds the Zoho CRM provider through the shared provider registration (<see cref="CrmProviderRegistration"/>): Refit clients for
    /// CRM v8 and Zoho Accounts from <see cref="IHttpClientFactory"/>, with the standard resilience handler (transport faults of
    /// requests safe to repeat, circuit breakers per datacenter host), a per-connection concurrency gate and the per-connection
    /// request budget inside it. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the OAuth client, the contact module, the external-id field and, for a simulator, the datacenter addresses.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddZoho(this ICrmSyncBuilder builder, Action<ZohoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddCrmProvider<ZohoCrmProvider, ZohoOptions>(
            ZohoCrmProvider.ProviderName,
            ZohoCrmProvider.ProviderDisplayName,
            configure,
            http =>
            {
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZohoOptions>, ZohoOptionsValidator>());
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZohoOptions>, ZohoOptionsRulesValidator>());
                http.Services.AddSingleton(sp => new ZohoConcurrencyGates(sp.GetRequiredService<IOptions<ZohoOptions>>().Value.MaxConcurrentRequests));
                http.AddRefitClient<IZohoApi>(HttpClientName, ZohoJson.Options, o => o.DataCenters[o.DefaultDataCenter].ApiBaseAddress, isIdempotent: IsIdempotent)
                    .AddHttpMessageHandler(sp => new ZohoConcurrencyHandler(sp.GetRequiredService<ZohoConcurrencyGates>()));
                http.AddRefitClient<IZohoAccountsApi>(AccountsHttpClientName, ZohoJson.Options, o => o.DataCenters[o.DefaultDataCenter].AccountsBaseAddress);
            },
            sp => new ZohoCrmProvider(
                sp.GetRequiredService<CrmApiClientFactory<IZohoApi>>(),
                sp.GetRequiredService<CrmApiClientFactory<IZohoAccountsApi>>(),
                sp.GetRequiredService<IOptions<ZohoOptions>>().Value,
                sp.GetCrmRequestBudget(ZohoCrmProvider.ProviderName),
                new CrmUnconfirmedWrites(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ZohoCrmProvider>>()));
    }

    /// <summary>Upserts by the unique external-id field and COQL reads are safe to resend after a lost answer; inserts are not.</summary>
    internal static bool IsIdempotent(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        return path.EndsWith("/upsert", StringComparison.Ordinal) || path.EndsWith("/coql", StringComparison.Ordinal);
    }
}
