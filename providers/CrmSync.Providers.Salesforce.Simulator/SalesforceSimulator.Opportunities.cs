using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>
/// Accounts and opportunities: the opportunity stage picklist with its closed and won flags (<c>IsClosed</c>,
/// <c>IsWon</c>), and seeding helpers that store records as Salesforce users would, for tests and samples.
/// </content>
public sealed partial class SalesforceSimulator
{
    private readonly List<OpportunityStage> _opportunityStages = [];

    /// <summary>Adds a value to the opportunity stage picklist, as an admin would in Setup.</summary>
    /// <param name="stageName">The stage name written to <c>StageName</c>, for example <c>Lost to Competitor</c>.</param>
    /// <param name="isClosed">Whether opportunities in the stage are closed.</param>
    /// <param name="isWon">Whether a closed stage is won.</param>
    public void AddOpportunityStage(string stageName, bool isClosed, bool isWon = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stageName);
        lock (_gate)
        {
            _opportunityStages.RemoveAll(s => string.Equals(s.Name, stageName, StringComparison.OrdinalIgnoreCase));
            _opportunityStages.Add(new OpportunityStage(stageName, isClosed, isClosed && isWon));
        }
    }

    /// <summary>Stores an account as if a Salesforce user had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="name">The account name.</param>
    /// <param name="website">The website.</param>
    /// <param name="ownerId">The owner (a user id); defaults to the first active user.</param>
    /// <param name="fields">Other fields, for example <c>BillingCity</c>.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The account id.</returns>
    public string SeedAccount(string name, string? website = null, string? ownerId = null, IReadOnlyDictionary<string, object?>? fields = null, DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = Body(fields);
        body["Name"] = name;
        Set(body, "Website", website);
        Set(body, "OwnerId", ownerId);
        return Seed("Account", body, createdAt);
    }

    /// <summary>Stores an opportunity as if a Salesforce user had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="name">The opportunity name.</param>
    /// <param name="stageName">The stage; defaults to <c>Closed Lost</c>.</param>
    /// <param name="accountId">The account it belongs to.</param>
    /// <param name="ownerId">The owner; defaults to the first active user.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="closeDate">The close date; defaults to the creation day.</param>
    /// <param name="leadSource">The lead source.</param>
    /// <param name="fields">Other fields.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The opportunity id.</returns>
    public string SeedOpportunity(
        string name,
        string stageName = "Closed Lost",
        string? accountId = null,
        string? ownerId = null,
        decimal? amount = null,
        DateOnly? closeDate = null,
        string? leadSource = null,
        IReadOnlyDictionary<string, object?>? fields = null,
        DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = Body(fields);
        body["Name"] = name;
        body["StageName"] = stageName;
        body["CloseDate"] = (closeDate ?? DateOnly.FromDateTime((createdAt ?? _time.GetUtcNow()).UtcDateTime)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Set(body, "AccountId", accountId);
        Set(body, "OwnerId", ownerId);
        Set(body, "LeadSource", leadSource);
        if (amount is { } a)
        {
            body["Amount"] = a;
        }

        return Seed("Opportunity", body, createdAt);
    }

    /// <summary>Stores a contact as if a Salesforce user had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="lastName">The last name.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="email">The email address.</param>
    /// <param name="accountId">The account it belongs to.</param>
    /// <param name="ownerId">The owner; defaults to the first active user.</param>
    /// <param name="leadSource">The lead source.</param>
    /// <param name="fields">Other fields.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The contact id.</returns>
    public string SeedContact(string lastName, string? firstName = null, string? email = null, string? accountId = null, string? ownerId = null, string? leadSource = null, IReadOnlyDictionary<string, object?>? fields = null, DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lastName);
        var body = Body(fields);
        body["LastName"] = lastName;
        Set(body, "FirstName", firstName);
        Set(body, "Email", email);
        Set(body, "AccountId", accountId);
        Set(body, "OwnerId", ownerId);
        Set(body, "LeadSource", leadSource);
        return Seed("Contact", body, createdAt);
    }

    /// <summary>Stores a lead as if a Salesforce user (or a web-to-lead form) had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="lastName">The last name.</param>
    /// <param name="company">The company name.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="email">The email address.</param>
    /// <param name="status">The lead status; defaults to <c>Open - Not Contacted</c>.</param>
    /// <param name="leadSource">The lead source, for example <c>Web</c>.</param>
    /// <param name="ownerId">The owner; defaults to the first active user.</param>
    /// <param name="fields">Other fields.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The lead id.</returns>
    public string SeedLead(string lastName, string company, string? firstName = null, string? email = null, string? status = null, string? leadSource = null, string? ownerId = null, IReadOnlyDictionary<string, object?>? fields = null, DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lastName);
        ArgumentException.ThrowIfNullOrWhiteSpace(company);
        var body = Body(fields);
        body["LastName"] = lastName;
        body["Company"] = company;
        Set(body, "FirstName", firstName);
        Set(body, "Email", email);
        Set(body, "Status", status);
        Set(body, "LeadSource", leadSource);
        Set(body, "OwnerId", ownerId);
        return Seed("Lead", body, createdAt);
    }

    /// <summary>Changes a record the way a Salesforce user would: sets the given fields and stamps <c>LastModifiedDate</c> and <c>SystemModstamp</c> now.</summary>
    /// <param name="objectType">The sObject type, for example <c>Opportunity</c>.</param>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The fields to set (<see langword="null"/> clears); none just touches the record.</param>
    /// <returns>The record after the change.</returns>
    /// <exception cref="KeyNotFoundException">No such record.</exception>
    /// <exception cref="ArgumentException">A field does not exist or a value is not valid.</exception>
    public SalesforceSimulatedRecord Modify(string objectType, string id, IReadOnlyDictionary<string, object?>? fields = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType) is { } t and not "User" ? t : throw new ArgumentException($"Unknown sObject type '{objectType}'.", nameof(objectType));
            var record = FindById(type, id) ?? throw new KeyNotFoundException($"No {type} {id}.");
            var error = Update(record, Body(fields), allowDuplicates: true);
            return error is null ? record.Snapshot() : throw new ArgumentException($"{error.Code}: {error.Message}", nameof(fields));
        }
    }

    private static JsonObject Body(IReadOnlyDictionary<string, object?>? fields)
    {
        var body = new JsonObject();
        foreach (var (name, value) in fields ?? new Dictionary<string, object?>())
        {
            body[name] = value switch
            {
                null => null,
                string text => text,
                bool flag => flag,
                int number => number,
                long number => number,
                decimal number => number,
                double number => number,
                DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateTimeOffset instant => FormatDate(instant),
                _ => throw new ArgumentException($"Field {name}: values of type {value.GetType().Name} are not supported; pass text, a number, a bool, a DateOnly or a DateTimeOffset.", nameof(fields)),
            };
        }

        return body;
    }

    private static void Set(JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }

    private string Seed(string objectType, JsonObject body, DateTimeOffset? createdAt)
    {
        lock (_gate)
        {
            var (record, error) = Create(_apiVersion, objectType, body, allowDuplicates: true);
            if (error is not null)
            {
                throw new ArgumentException($"{error.Code}: {error.Message}", nameof(body));
            }

            if (createdAt is { } at)
            {
                var moved = record!.WithCreatedAt(at);
                _records[objectType][moved.Id] = moved;
            }

            return record!.Id;
        }
    }

    private OpportunityStage? FindOpportunityStage(string? name) =>
        name is null ? null : _opportunityStages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private void ResetOpportunityStages()
    {
        _opportunityStages.Clear();
        foreach (var name in new[] { "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review" })
        {
            _opportunityStages.Add(new OpportunityStage(name, false, false));
        }

        _opportunityStages.Add(new OpportunityStage("Closed Won", true, true));
        _opportunityStages.Add(new OpportunityStage("Closed Lost", true, false));
    }

    private sealed record OpportunityStage(string Name, bool IsClosed, bool IsWon);
}
