using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CrmSync.Providers.Salesforce;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Salesforce provider.</summary>
public static partial class SalesforceCrmSyncBuilderExtensions
{
    /// <summary>The name of the Salesforce HTTP client (and of its resilience pipeline).</summary>
    public const string HttpClientName = "CrmSync.Salesforce";

    /// <summary>
    /// Adds the Salesforce provider through the shared provider registration (<see cref="CrmProviderRegistration"/>): a Refit client
    /// from <see cref="IHttpClientFactory"/> with the standard resilience handler (transport faults of requests safe to repeat;
    /// 403 <c>REQUEST_LIMIT_EXCEEDED</c> is left to the provider and engine), data calls sent to each connection's
    /// <c>instance_url</c>, a per-connection request budget fed by <c>Sforce-Limit-Info</c>, OAuth and the provider itself.
    /// Options are validated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Sets the consumer key and secret, the login server, the object (Lead or Contact) and the external-id field.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddSalesforce(this ICrmSyncBuilder builder, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = null };
        return builder.AddCrmProvider<SalesforceCrmProvider, SalesforceOptions>(
            SalesforceCrmProvider.ProviderName,
            SalesforceCrmProvider.ProviderDisplayName,
            configure,
            http =>
            {
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());
                http.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsRulesValidator>());
                http.AddRefitClient<ISalesforceApi>(HttpClientName, json, o => o.LoginBaseAddress, ReadLimits);
            },
            sp => new SalesforceCrmProvider(
                sp.GetRequiredService<CrmApiClientFactory<ISalesforceApi>>(),
                sp.GetCrmRequestBudget(SalesforceCrmProvider.ProviderName),
                sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SalesforceCrmProvider>>()));
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

    [GeneratedRegex(@"api-usage=(\d+)/(\d+)")]
    private static partial Regex ApiUsage();
}
