using System.Text.Json;
using System.Text.Json.Serialization;
using CrmSync.Providers.HubSpot;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HubSpot provider.</summary>
public static class HubSpotCrmSyncBuilderExtensions
{
    /// <summary>The name of the HubSpot HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.HubSpot";

    /// <summary>
    /// Adds the HubSpot provider through the shared provider registration (<see cref="CrmProviderRegistration"/>): a Refit client
    /// from <see cref="IHttpClientFactory"/> with the standard resilience handler (transport faults of requests safe to repeat; 429s
    /// are left to the provider and engine), the per-connection request budget fed by <c>X-HubSpot-RateLimit-*</c>, OAuth and the
    /// provider itself. Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the client id and secret, and base addresses when not talking to the real HubSpot.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddHubSpot(this ICrmSyncBuilder builder, Action<HubSpotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        return builder.AddCrmProvider<HubSpotCrmProvider, HubSpotOptions>(
            HubSpotCrmProvider.ProviderName,
            HubSpotCrmProvider.ProviderDisplayName,
            configure,
            http =>
            {
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsValidator>());
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsRulesValidator>());
                http.AddRefitClient<IHubSpotApi>(HttpClientName, json, o => o.ApiBaseAddress, ReadLimits, IsIdempotent);
            },
            sp => new HubSpotCrmProvider(
                sp.GetRequiredService<CrmApiClientFactory<IHubSpotApi>>(),
                sp.GetCrmRequestBudget(HubSpotCrmProvider.ProviderName),
                sp.GetRequiredService<IOptionsMonitor<HubSpotOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<HubSpotCrmProvider>>()));
    }

    /// <summary>POSTs that only read (batch read, search) or upsert by a unique property are safe to resend after a lost answer.</summary>
    internal static bool IsIdempotent(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        return path.EndsWith("/batch/read", StringComparison.Ordinal)
            || path.EndsWith("/batch/upsert", StringComparison.Ordinal)
            || path.EndsWith("/search", StringComparison.Ordinal);
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
}
