using System.Collections.Concurrent;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace CrmSync.Providers.Salesforce;

/// <summary>
/// The Salesforce provider: upserts Leads or Contacts with sObject collections (200 per call) by an External ID field,
/// writes emails and calls as Tasks and meetings as Events linked to the contact (<c>WhoId</c>), refreshes the session on
/// 401 <c>INVALID_SESSION_ID</c>, and turns per-record <c>success:false</c> and 403 <c>REQUEST_LIMIT_EXCEEDED</c> into
/// CrmSync outcomes. Register it with <c>builder.AddSalesforce(…)</c>.
/// </summary>
public sealed partial class SalesforceCrmProvider : ICrmProvider, ICrmOAuthProvider
{
    /// <summary>The provider name stored on connections.</summary>
    public const string ProviderName = "salesforce";

    /// <summary>The key of <see cref="ConnectionSettings.ProviderSettings"/> that picks the object contacts go to (<c>Lead</c> or <c>Contact</c>).</summary>
    public const string ObjectSetting = "salesforce.object";

    private readonly ISalesforceApi _api;
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SalesforceCrmProvider> _logger;
    private readonly ConcurrentDictionary<Guid, string> _instances = new();

    internal SalesforceCrmProvider(ISalesforceApi api, SalesforceRequestBudget budget, IOptionsMonitor<SalesforceOptions> options, TimeProvider time, ILogger<SalesforceCrmProvider> logger)
    {
        _api = api;
        Budget = budget.Budget;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DisplayName => "Salesforce";

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; } = new()
    {
        MaxBatchSize = 200,
        NativeUpsert = true,
        CanListUsers = true,
        RecordDeepLinks = true,
        OAuth = true,
        CanFetch = true,
    };

    /// <summary>Gets the per-connection request budget the provider keeps under Salesforce's limits.</summary>
    public CrmRequestBudget Budget { get; }

    private SalesforceOptions Options => _options.CurrentValue;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rows = await QueryAllAsync(context, "SELECT Id, Name, Email FROM User WHERE IsActive = true ORDER BY Name", cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new CrmUser(Text(r, "Id")!, Text(r, "Name") ?? Text(r, "Email") ?? Text(r, "Id")!, Text(r, "Email"))).ToList();
    }

    /// <inheritdoc />
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(crmRecordId);
        if (!_instances.TryGetValue(context.ConnectionId, out var instance) || !Uri.TryCreate(instance.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri))
        {
            return null;
        }

        var sobject = objectType switch
        {
            CrmObjectType.Email or CrmObjectType.Call => "Task",
            CrmObjectType.Meeting => "Event",
            CrmObjectType.Lead => "Lead",
            _ => ContactObject(context),
        };
        return new Uri(baseUri, $"lightning/r/{sobject}/{Uri.EscapeDataString(crmRecordId)}/view");
    }

    private string ContactObject(CrmProviderContext context) =>
        context.Settings.ProviderSettings.GetValueOrDefault(ObjectSetting) switch
        {
            "Lead" => "Lead",
            "Contact" => "Contact",
            _ => Options.ContactObject,
        };

    /// <summary>Runs a query and follows <c>nextRecordsUrl</c> until Salesforce says it is done.</summary>
    private async Task<List<Dictionary<string, JsonElement>>> QueryAllAsync(CrmProviderContext context, string soql, CancellationToken cancellationToken)
    {
        var version = Options.ApiVersion;
        var response = await SendAsync(context, (token, instance, ct) => _api.QueryAsync(version, soql, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var rows = response.Content?.Records?.ToList() ?? [];
        var next = response.Content is { Done: false } page ? page.NextRecordsUrl : null;
        while (!string.IsNullOrEmpty(next))
        {
            var locator = next[(next.LastIndexOf('/') + 1)..];
            var more = await SendAsync(context, (token, instance, ct) => _api.QueryMoreAsync(version, locator, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(more, context.ConnectionId);
            rows.AddRange(more.Content?.Records ?? []);
            next = more.Content is { Done: false } nextPage ? nextPage.NextRecordsUrl : null;
        }

        return rows;
    }

    /// <summary>Sends one call with the connection's session, refreshing once on 401 <c>INVALID_SESSION_ID</c>, and maps transport failures.</summary>
    private async Task<IApiResponse<T>> SendAsync<T>(CrmProviderContext context, Func<string, string, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
    {
        IApiResponse<T> response;
        try
        {
            response = await CrmCredentialRetry.SendAsync(
                context.Credentials,
                (credentials, ct) =>
                {
                    var token = credentials.AccessToken ?? throw new CrmAuthRevokedException("Salesforce is connected without an access token. Reconnect Salesforce.", Name);
                    var instance = credentials.InstanceUrl ?? throw new CrmAuthRevokedException("Salesforce did not say which instance to use. Reconnect Salesforce.", Name);
                    _instances[context.ConnectionId] = instance;
                    return CallAsync(ct2 => call(token, instance, ct2), ct);
                },
                r => r.StatusCode == HttpStatusCode.Unauthorized,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CrmSyncException && CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, Name, DisplayName);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Log.CredentialsRejected(_logger, context.ConnectionId);
            throw new CrmAuthRevokedException("Salesforce no longer accepts the saved sign-in (the session was revoked or the app blocked). Reconnect Salesforce to resume syncing.", Name);
        }

        return response;
    }

    /// <summary>Calls Refit and rethrows request errors (budget exceptions, transport failures) that Refit reports inside the response.</summary>
    private static async Task<IApiResponse<T>> CallAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
    {
        IApiResponse<T> response;
        try
        {
            response = await call(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRequestException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (response.HasRequestError(out var requestError) && requestError?.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
        }

        return response;
    }

    private static string? Text(Dictionary<string, JsonElement> row, string field) =>
        row.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
