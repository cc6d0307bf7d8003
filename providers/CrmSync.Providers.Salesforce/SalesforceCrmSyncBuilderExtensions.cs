using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CrmSync.Providers.Salesforce;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Salesforce provider.</summary>
public static partial class SalesforceCrmSyncBuilderExtensions
{
    /// <summary>The name of the Salesforce HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.Salesforce";

    /// <summary>
    /// Adds the Salesforce provider: a source-generated Refit client with the standard resilience handler (transport retries only;
    /// 403 <c>REQUEST_LIMIT_EXCEEDED</c> is left to the provider and engine), a per-connection request budget fed by
    /// <c>Sforce-Limit-Info</c>, OAuth and the provider itself. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the consumer key and secret, the login server, the object (Lead or Contact) and the external-id field.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddSalesforce(this ICrmSyncBuilder builder, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SalesforceOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(SalesforceCrmProvider)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SalesforceRequestBudget(new CrmRequestBudget(
            SalesforceCrmProvider.ProviderName, "Salesforce", sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.RequestBudget, sp.GetRequiredService<TimeProvider>())));

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = null };
        services.AddRefitGeneratedClient<ISalesforceApi>(_ => new RefitSettings(new SystemTextJsonContentSerializer(json)), HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.LoginBaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<SalesforceOptions>>().Value));
        services.AddHttpClient(HttpClientName)
            .AddHttpMessageHandler(() => new SalesforceInstanceHandler())
            .AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(sp.GetRequiredService<SalesforceRequestBudget>().Budget, ReadLimits));

        services.AddSingleton(sp => new SalesforceCrmProvider(
            sp.GetRequiredService<ISalesforceApi>(),
            sp.GetRequiredService<SalesforceRequestBudget>(),
            sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SalesforceCrmProvider>>()));
        return builder.AddProvider<SalesforceCrmProvider>();
    }

    /// <summary>Reads <c>Sforce-Limit-Info: api-usage=N/M</c> into a daily-quota snapshot.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the header is missing.</returns>
    internal static CrmRateLimitSnapshot? ReadLimits(HttpResponseMessage response)
    {
        var header = CrmHttpHeaders.GetValue(response.Headers, "Sforce-Limit-Info");
        if (header is null || ApiUsage().Match(header) is not { Success: true } match)
        {
            return null;
        }

        var used = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var max = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new CrmRateLimitSnapshot { DailyLimit = max, DailyRemaining = Math.Max(0, max - used) };
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, SalesforceOptions options)
    {
        // Retry only transport faults and gateway errors; 403 REQUEST_LIMIT_EXCEEDED and 401 INVALID_SESSION_ID are answers the provider maps.
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

    [GeneratedRegex(@"api-usage=(\d+)/(\d+)")]
    private static partial Regex ApiUsage();
}
