using System.Collections.Concurrent;
using System.Net;
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

    /// <summary>The name users see.</summary>
    public const string ProviderDisplayName = "Salesforce";

    /// <summary>The key of <see cref="ConnectionSettings.ProviderSettings"/> that picks the object contacts go to (<c>Lead</c> or <c>Contact</c>).</summary>
    public const string ObjectSetting = "salesforce.object";

    private readonly CrmApiClientFactory<ISalesforceApi> _clients;
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SalesforceCrmProvider> _logger;
    private readonly ConcurrentDictionary<Guid, string> _instances = new();
    private readonly ConcurrentDictionary<Guid, IReadOnlySet<string>> _taskFields = new();
    private readonly ConcurrentDictionary<(Guid Connection, string SObject, string Field), Task> _ensuredFields = new();
    private static readonly IReadOnlySet<string> NoFields = new HashSet<string>();

    internal SalesforceCrmProvider(CrmApiClientFactory<ISalesforceApi> clients, CrmRequestBudget budget, IOptionsMonitor<SalesforceOptions> options, TimeProvider time, ILogger<SalesforceCrmProvider> logger)
    {
        _clients = clients;
        RequestBudget = budget;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DisplayName => ProviderDisplayName;

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
    public CrmRequestBudget RequestBudget { get; }

    private SalesforceOptions Options => _options.CurrentValue;

    /// <summary>Gets a client for one call, from <see cref="IHttpClientFactory"/>.</summary>
    private ISalesforceApi Api => _clients.Create();

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
        var response = await SendAsync(context, (token, instance, ct) => Api.QueryAsync(version, soql, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var rows = response.Content?.Records?.ToList() ?? [];
        var next = response.Content is { Done: false } page ? page.NextRecordsUrl : null;
        while (!string.IsNullOrEmpty(next))
        {
            var locator = next[(next.LastIndexOf('/') + 1)..];
            var more = await SendAsync(context, (token, instance, ct) => Api.QueryMoreAsync(version, locator, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(more, context.ConnectionId);
            rows.AddRange(more.Content?.Records ?? []);
            next = more.Content is { Done: false } nextPage ? nextPage.NextRecordsUrl : null;
        }

        return rows;
    }

    /// <summary>Sends one call with the connection's session through <see cref="CrmProviderCall"/>: refreshes once on 401 <c>INVALID_SESSION_ID</c>, maps transport failures, and turns a 401 that survived the refresh into a revocation.</summary>
    private Task<IApiResponse<T>> SendAsync<T>(CrmProviderContext context, Func<string, Uri, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken) =>
        CrmProviderCall.SendAsync(
            context,
            this,
            (credentials, ct) =>
            {
                var token = credentials.AccessToken ?? throw new CrmAuthRevokedException("Salesforce is connected without an access token. Reconnect Salesforce.", Name);
                var instance = credentials.InstanceUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
                    ? parsed
                    : throw new CrmAuthRevokedException("Salesforce did not say which instance to use. Reconnect Salesforce.", Name);
                _instances[context.ConnectionId] = instance.ToString();
                return call(token, instance, ct);
            },
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            (r, _) =>
            {
                if (r.StatusCode != HttpStatusCode.Unauthorized)
                {
                    return null;
                }

                Log.CredentialsRejected(_logger, context.ConnectionId);
                if ((r.Error as ApiException)?.Content?.Contains("not valid for use with the REST API", StringComparison.Ordinal) == true)
                {
                    // The sign-in worked but the connected app did not grant the api scope: reconnecting alone will not help.
                    return new CrmAuthRevokedException("Salesforce signed in without API access: the connected app must grant the 'Manage user data via APIs (api)' OAuth scope. Ask your Salesforce admin to add it, then reconnect Salesforce.", Name);
                }

                return new CrmAuthRevokedException("Salesforce no longer accepts the saved sign-in (the session was revoked or the app blocked). Reconnect Salesforce to resume syncing.", Name);
            },
            cancellationToken);

    private static string? Text(Dictionary<string, JsonElement> row, string field) =>
        row.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
