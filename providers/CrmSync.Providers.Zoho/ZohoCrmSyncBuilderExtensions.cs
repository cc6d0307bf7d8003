using System.Net;
using CrmSync.Providers.Zoho;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Zoho CRM provider.</summary>
public static class ZohoCrmSyncBuilderExtensions
{
    /// <summary>
    /// Adds the Zoho CRM provider: typed Refit clients for CRM v8 and Zoho Accounts, with the standard resilience handler
    /// (reads retried on 5xx and transport failures, writes left to the engine, circuit breakers per datacenter host), a
    /// per-connection concurrency gate and the per-connection request budget inside it. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the OAuth client, the contact module, the external-id field and, for a simulator, the datacenter URLs.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddZoho(this ICrmSyncBuilder builder, Action<ZohoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<ZohoOptions>().Configure(configure).ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(ZohoProvider)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZohoOptions>, ZohoOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZohoOptions>, ZohoOptionsRulesValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ZohoOptions>>().Value;
            return new ZohoBudget(new CrmRequestBudget(ZohoProvider.ProviderName, ZohoProvider.ProviderDisplayName, new CrmRequestBudgetOptions
            {
                BurstLimit = o.BurstLimit,
                BurstWindow = o.BurstWindow,
                DailyLimit = o.DailyCreditLimit,
                DailyWindow = CrmDailyLimitWindow.Rolling24Hours,
                MaxWait = o.MaxBudgetWait,
            }, sp.GetRequiredService<TimeProvider>()));
        });
        services.AddSingleton(sp => new ZohoConcurrencyGates(sp.GetRequiredService<IOptions<ZohoOptions>>().Value.MaxConcurrentRequests));

        var refit = new RefitSettings(new SystemTextJsonContentSerializer(ZohoJson.Options));
        var api = services.AddRefitGeneratedClient<IZohoApi>(refit)
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<ZohoOptions>>().Value;
                client.BaseAddress = CrmBaseAddressHandler.ClientBaseAddress(o.DataCenters[o.DefaultDataCenter].ApiUrl);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(() => new CrmBaseAddressHandler());
        api.AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<ZohoOptions>>().Value))
            .SelectPipelineByAuthority();
        api.AddHttpMessageHandler(sp => new ZohoConcurrencyHandler(sp.GetRequiredService<ZohoConcurrencyGates>()))
            .AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(sp.GetRequiredService<ZohoBudget>().Budget));

        var accounts = services.AddRefitGeneratedClient<IZohoAccountsApi>(refit)
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<ZohoOptions>>().Value;
                client.BaseAddress = CrmBaseAddressHandler.ClientBaseAddress(o.DataCenters[o.DefaultDataCenter].AccountsUrl);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(() => new CrmBaseAddressHandler());
        accounts.AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<ZohoOptions>>().Value))
            .SelectPipelineByAuthority();

        services.AddSingleton(sp => new ZohoProvider(
            sp,
            sp.GetRequiredService<IOptions<ZohoOptions>>().Value,
            sp.GetRequiredService<ZohoBudget>().Budget,
            new CrmUnconfirmedWrites(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ZohoProvider>>()));
        services.AddSingleton<ICrmProvider>(sp => sp.GetRequiredService<ZohoProvider>());
        services.AddSingleton<ICrmOAuthProvider>(sp => sp.GetRequiredService<ZohoProvider>());
        return builder;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, ZohoOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.RequestTimeout;
        resilience.TotalRequestTimeout.Timeout = options.RequestTimeout * (options.MaxRetryAttempts + 2);
        resilience.CircuitBreaker.SamplingDuration = options.RequestTimeout * 2 > TimeSpan.FromSeconds(30) ? options.RequestTimeout * 2 : TimeSpan.FromSeconds(30);

        // 429 TOO_MANY_REQUESTS / LIMIT_EXCEEDED are the engine's pause signals, not faults to hammer on.
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && IsTransient(args.Outcome));

        // An insert whose answer was lost may have created records: never resend it blindly.
        resilience.Retry.DisableForUnsafeHttpMethods();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result is { } response && CrmHttpFailures.IsTransientStatus((int)response.StatusCode) && response.StatusCode != HttpStatusCode.TooManyRequests;
}
