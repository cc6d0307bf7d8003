using System.Net;
using CrmSync.Providers.Pipedrive;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Pipedrive provider.</summary>
public static class PipedriveCrmSyncBuilderExtensions
{
    /// <summary>
    /// Adds the Pipedrive provider: typed Refit clients for the API and the OAuth server, with the standard resilience
    /// handler (reads retried on 5xx and transport failures, writes never retried blindly, circuit breakers per company
    /// domain) and the per-connection request budget inside it. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Configures the options (OAuth client, limits, base URLs for a simulator).</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddPipedrive(this ICrmSyncBuilder builder, Action<PipedriveOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<PipedriveOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(PipedriveProvider)))
        {
            // Registering twice only adds configuration.
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipedriveOptions>, PipedriveOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipedriveOptions>, PipedriveOptionsRulesValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton(sp => new PipedriveBudgets(sp.GetRequiredService<IOptions<PipedriveOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        var refit = new RefitSettings(new SystemTextJsonContentSerializer(PipedriveJson.Options));
        var api = services.AddRefitGeneratedClient<IPipedriveApi>(refit)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = CrmBaseAddressHandler.ClientBaseAddress(sp.GetRequiredService<IOptions<PipedriveOptions>>().Value.ApiBaseUrl);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(() => new CrmBaseAddressHandler());
        api.AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<PipedriveOptions>>().Value))
            .SelectPipelineByAuthority();
        api.AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(sp.GetRequiredService<PipedriveBudgets>().General, PipedriveBudgets.ReadGeneral));

        services.AddRefitGeneratedClient<IPipedriveOAuthApi>(refit)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = CrmBaseAddressHandler.ClientBaseAddress(sp.GetRequiredService<IOptions<PipedriveOptions>>().Value.OAuthBaseUrl);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<PipedriveOptions>>().Value));

        services.AddSingleton(sp => new PipedriveProvider(
            sp,
            sp.GetRequiredService<IOptions<PipedriveOptions>>().Value,
            sp.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>(),
            sp.GetRequiredService<PipedriveBudgets>(),
            new CrmUnconfirmedWrites(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PipedriveProvider>>()));
        services.AddSingleton<ICrmProvider>(sp => sp.GetRequiredService<PipedriveProvider>());
        services.AddSingleton<ICrmOAuthProvider>(sp => sp.GetRequiredService<PipedriveProvider>());
        return builder;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, PipedriveOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.RequestTimeout;
        resilience.TotalRequestTimeout.Timeout = options.RequestTimeout * (options.MaxRetryAttempts + 2);
        resilience.CircuitBreaker.SamplingDuration = options.RequestTimeout * 2 > TimeSpan.FromSeconds(30) ? options.RequestTimeout * 2 : TimeSpan.FromSeconds(30);

        // 429 and the HTML 403 are throttling: the provider pauses through the budget instead of retrying into a block.
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && IsTransient(args.Outcome));

        // A POST whose answer was lost may have created a record: never resend it blindly.
        resilience.Retry.DisableForUnsafeHttpMethods();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result is { } response && CrmHttpFailures.IsTransientStatus((int)response.StatusCode) && response.StatusCode != HttpStatusCode.TooManyRequests;
}
