using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrmSync.Providers.HubSpot;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HubSpot provider.</summary>
public static class HubSpotCrmSyncBuilderExtensions
{
    /// <summary>The name of the HubSpot HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.HubSpot";

    /// <summary>
    /// Adds the HubSpot provider: a Refit client with the standard resilience handler (transport retries only; 429s are left
    /// to the provider and engine), a per-connection request budget, OAuth and the provider itself. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the client id and secret, and base addresses when not talking to the real HubSpot.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddHubSpot(this ICrmSyncBuilder builder, Action<HubSpotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<HubSpotOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(HubSpotCrmProvider)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HubSpotRequestBudget(new CrmRequestBudget(
            HubSpotCrmProvider.ProviderName, "HubSpot", sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.RequestBudget, sp.GetRequiredService<TimeProvider>())));

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        services.AddRefitGeneratedClient<IHubSpotApi>(_ => new RefitSettings(new SystemTextJsonContentSerializer(json)), HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.ApiBaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<HubSpotOptions>>().Value));
        services.AddHttpClient(HttpClientName)
            .AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(sp.GetRequiredService<HubSpotRequestBudget>().Budget, ReadLimits));

        services.AddSingleton(sp => new HubSpotCrmProvider(
            sp.GetRequiredService<IHubSpotApi>(),
            sp.GetRequiredService<HubSpotRequestBudget>(),
            sp.GetRequiredService<IOptionsMonitor<HubSpotOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HubSpotCrmProvider>>()));
        return builder.AddProvider<HubSpotCrmProvider>();
    }

    /// <summary>Reads <c>X-HubSpot-RateLimit-*</c> headers into a snapshot for the request budget.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the response carries none (search, OAuth).</returns>
    internal static CrmRateLimitSnapshot? ReadLimits(HttpResponseMessage response)
    {
        var headers = response.Headers;
        var max = CrmHttpHeaders.GetInt32(headers, "X-HubSpot-RateLimit-Max");
        var daily = CrmHttpHeaders.GetInt32(headers, "X-HubSpot-RateLimit-Daily");
        if (max is null && daily is null)
        {
            return null;
        }

        var interval = CrmHttpHeaders.GetInt32(headers, "X-HubSpot-RateLimit-Interval-Milliseconds");
        return new CrmRateLimitSnapshot
        {
            BurstLimit = max,
            BurstRemaining = CrmHttpHeaders.GetInt32(headers, "X-HubSpot-RateLimit-Remaining"),
            BurstWindow = interval is > 0 ? TimeSpan.FromMilliseconds(interval.Value) : null,
            DailyLimit = daily,
            DailyRemaining = CrmHttpHeaders.GetInt32(headers, "X-HubSpot-RateLimit-Daily-Remaining"),
        };
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, HubSpotOptions options)
    {
        // Retry only what waiting a moment fixes: dropped connections, timeouts and gateway errors. 429s carry the engine's
        // pause signal (burst vs DAILY) and must reach the provider; 4xx are answers, not faults.
        static ValueTask<bool> Transient(Outcome<HttpResponseMessage> outcome) => ValueTask.FromResult(outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Exception: Polly.Timeout.TimeoutRejectedException } => true,
            { Result.StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
            _ => false,
        });

        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxTransportRetries);
        resilience.Retry.ShouldHandle = args => options.MaxTransportRetries == 0 ? ValueTask.FromResult(false) : Transient(args.Outcome);
        resilience.Retry.Delay = options.TransportRetryDelay;
        resilience.Retry.UseJitter = true;
        resilience.CircuitBreaker.ShouldHandle = args => Transient(args.Outcome);
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.AttemptTimeout.TotalSeconds * 2 + 1));
    }
}
