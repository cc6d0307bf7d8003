using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <content>
/// Deals and companies: deal pipelines with closed-won/closed-lost stage metadata, the calculated <c>hs_is_closed</c> and
/// <c>hs_is_closed_won</c> flags, v4 association reads, and seeding helpers for tests and samples.
/// </content>
public sealed partial class HubSpotSimulator
{
    /// <summary>The id of the default deal pipeline ("Sales Pipeline").</summary>
    public const string DefaultPipelineId = "default";

    private const int MaxAssociationReadInputs = 1000;

    private static readonly string[] AnalyticsSources =
        ["ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS", "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL", "AI_REFERRALS"];

    /// <summary>HUBSPOT_DEFINED association types the simulator knows: (from, to) → (unlabeled type id, primary type id).</summary>
    private static readonly Dictionary<(string From, string To), int[]> AssociationTypeIds = new()
    {
        [("contacts", "companies")] = [279, 1],
        [("companies", "contacts")] = [280, 2],
        [("deals", "companies")] = [341, 5],
        [("companies", "deals")] = [342, 6],
        [("deals", "contacts")] = [3],
        [("contacts", "deals")] = [4],
    };

    private readonly Dictionary<string, Pipeline> _pipelines = new(StringComparer.Ordinal);

    /// <summary>Adds a stage to a deal pipeline (creating the pipeline when it does not exist), as an admin would in HubSpot's settings.</summary>
    /// <param name="stageId">The stage id written to <c>dealstage</c>, for example <c>lost-to-competitor</c>.</param>
    /// <param name="label">The label users see.</param>
    /// <param name="isClosed">Whether deals in the stage are closed (<c>metadata.isClosed</c>).</param>
    /// <param name="isWon">Whether a closed stage is won (probability 1.0) rather than lost (0.0); ignored for open stages.</param>
    /// <param name="pipelineId">The pipeline; defaults to <see cref="DefaultPipelineId"/>.</param>
    public void AddDealStage(string stageId, string label, bool isClosed, bool isWon = false, string pipelineId = DefaultPipelineId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(pipelineId);
        lock (_gate)
        {
            if (!_pipelines.TryGetValue(pipelineId, out var pipeline))
            {
                pipeline = new Pipeline(pipelineId, pipelineId, _pipelines.Count, []);
                _pipelines[pipelineId] = pipeline;
            }

            pipeline.Stages.RemoveAll(s => s.Id == stageId);
            var probability = !isClosed ? 0.5m : isWon ? 1.0m : 0.0m;
            pipeline.Stages.Add(new DealStage(stageId, label, pipeline.Stages.Count, isClosed, probability));
        }
    }

    /// <summary>Stores a company as if a HubSpot user had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="name">The company name.</param>
    /// <param name="domain">The web domain.</param>
    /// <param name="ownerId">The owner id (<c>hubspot_owner_id</c>); must be one of the simulator's owners.</param>
    /// <param name="properties">Other properties.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The company id.</returns>
    public string SeedCompany(string name, string? domain = null, string? ownerId = null, IReadOnlyDictionary<string, string?>? properties = null, DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var values = Values(properties);
        values["name"] = name;
        values["domain"] = domain;
        values["hubspot_owner_id"] = ownerId;
        return Seed("companies", values, [], createdAt);
    }

    /// <summary>Stores a contact as if a HubSpot user (or a form) had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="email">The email address.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="lifecycleStage">The lifecycle stage (<c>lifecyclestage</c>), for example <c>lead</c> or <c>customer</c>.</param>
    /// <param name="leadStatus">The lead status (<c>hs_lead_status</c>), for example <c>NEW</c>.</param>
    /// <param name="ownerId">The owner id.</param>
    /// <param name="companyId">A company to associate as primary (contact to company, type 1).</param>
    /// <param name="source">The original source (<c>hs_analytics_source</c>, read-only through the API), for example <c>PAID_SEARCH</c>.</param>
    /// <param name="properties">Other properties.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The contact id.</returns>
    public string SeedContact(
        string email,
        string? firstName = null,
        string? lastName = null,
        string? lifecycleStage = "lead",
        string? leadStatus = null,
        string? ownerId = null,
        string? companyId = null,
        string? source = null,
        IReadOnlyDictionary<string, string?>? properties = null,
        DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var values = Values(properties);
        values["email"] = email.Trim().ToLowerInvariant();
        values["firstname"] = firstName;
        values["lastname"] = lastName;
        values["lifecyclestage"] = lifecycleStage;
        values["hs_lead_status"] = leadStatus;
        values["hubspot_owner_id"] = ownerId;
        values["hs_analytics_source"] = source;
        return Seed("contacts", values, companyId is null ? [] : [("companies", companyId)], createdAt);
    }

    /// <summary>Stores a deal as if a HubSpot user had created it now (or at <paramref name="createdAt"/>).</summary>
    /// <param name="name">The deal name (<c>dealname</c>).</param>
    /// <param name="stage">The stage id (<c>dealstage</c>); defaults to <c>closedlost</c>.</param>
    /// <param name="ownerId">The owner id.</param>
    /// <param name="companyId">A company to associate as primary (deal to company, type 5).</param>
    /// <param name="pipeline">The pipeline id; defaults to <see cref="DefaultPipelineId"/>.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="properties">Other properties, for example <c>closed_lost_reason</c>.</param>
    /// <param name="createdAt">The creation time; defaults to now on the simulator's clock.</param>
    /// <returns>The deal id.</returns>
    public string SeedDeal(
        string name,
        string stage = "closedlost",
        string? ownerId = null,
        string? companyId = null,
        string pipeline = DefaultPipelineId,
        decimal? amount = null,
        IReadOnlyDictionary<string, string?>? properties = null,
        DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        var values = Values(properties);
        values["dealname"] = name;
        values["dealstage"] = stage;
        values["pipeline"] = pipeline;
        values["hubspot_owner_id"] = ownerId;
        values["amount"] = amount?.ToString(CultureInfo.InvariantCulture);
        return Seed("deals", values, companyId is null ? [] : [("companies", companyId)], createdAt);
    }

    /// <summary>Changes a record the way a HubSpot user would: sets the given properties and stamps it modified now on the simulator's clock.</summary>
    /// <param name="objectType">The object type, for example <c>deals</c>.</param>
    /// <param name="id">The record id.</param>
    /// <param name="properties">The properties to set (<see langword="null"/> or empty clears); none just touches the record.</param>
    /// <returns>The record after the change.</returns>
    /// <exception cref="KeyNotFoundException">No such live record.</exception>
    /// <exception cref="ArgumentException">A property does not exist or its value is not valid.</exception>
    public HubSpotSimulatedRecord Modify(string objectType, string id, IReadOnlyDictionary<string, string?>? properties = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType) ?? throw new ArgumentException($"Unknown HubSpot object type '{objectType}'.", nameof(objectType));
            var record = FindRecord(type, id, null) ?? throw new KeyNotFoundException($"No live {Singular(type)} {id}.");
            var values = Values(properties);
            CheckSeedValues(type, values);
            ApplyValues(record, values, _time.GetUtcNow());
            return record.Snapshot();
        }
    }

    private static Dictionary<string, string?> Values(IReadOnlyDictionary<string, string?>? properties) =>
        properties is null ? new(StringComparer.Ordinal) : new(properties, StringComparer.Ordinal);

    private string Seed(string objectType, Dictionary<string, string?> values, List<(string Type, string Id)> associateTo, DateTimeOffset? createdAt)
    {
        lock (_gate)
        {
            CheckSeedValues(objectType, values);
            var associations = new List<HubSpotSimulatedAssociation>();
            foreach (var (toType, toId) in associateTo)
            {
                if (FindRecord(toType, toId, null) is null)
                {
                    throw new KeyNotFoundException($"No live {Singular(toType)} {toId} to associate.");
                }

                associations.Add(new HubSpotSimulatedAssociation(toType, toId, "HUBSPOT_DEFINED", AssociationTypeIds[(objectType, toType)][^1]));
            }

            var now = createdAt ?? _time.GetUtcNow();
            var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
            var record = new StoredRecord(id, objectType, now, _valueIndex);
            record.Properties["hs_object_id"] = id;
            record.Properties[CreatedProperty(objectType)] = FormatTimestamp(now);
            ApplyValues(record, values, _time.GetUtcNow());
            record.Associations.AddRange(associations);
            _records[objectType][id] = record;

            // The reverse side, as HubSpot stores associations in both directions.
            foreach (var a in associations)
            {
                _records[a.ToObjectType][a.ToObjectId].Associations.Add(new HubSpotSimulatedAssociation(objectType, id, "HUBSPOT_DEFINED", AssociationTypeIds[(a.ToObjectType, objectType)][^1]));
            }

            return id;
        }
    }

    /// <summary>Checks seeded values like a write would (read-only properties such as the original source are allowed).</summary>
    private void CheckSeedValues(string objectType, Dictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            if (!_properties[objectType].TryGetValue(name, out var definition))
            {
                throw new ArgumentException($"Property \"{name}\" does not exist on {objectType}.", nameof(values));
            }

            if (name is "hs_object_id" or "hs_is_closed" or "hs_is_closed_won" || name == CreatedProperty(objectType) || name == ModifiedProperty(objectType))
            {
                throw new ArgumentException($"\"{name}\" is calculated by HubSpot; it cannot be seeded.", nameof(values));
            }

            if (!string.IsNullOrEmpty(value) && ValidateValue(definition, value) is { } error)
            {
                throw new ArgumentException(error.Message, nameof(values));
            }
        }
    }

    private void ResetPipelines()
    {
        _pipelines.Clear();
        var sales = new Pipeline(DefaultPipelineId, "Sales Pipeline", 0, []);
        (string Id, string Label, bool Closed, decimal Probability)[] stages =
        [
            ("appointmentscheduled", "Appointment Scheduled", false, 0.2m),
            ("qualifiedtobuy", "Qualified To Buy", false, 0.4m),
            ("presentationscheduled", "Presentation Scheduled", false, 0.6m),
            ("decisionmakerboughtin", "Decision Maker Bought-In", false, 0.8m),
            ("contractsent", "Contract Sent", false, 0.9m),
            ("closedwon", "Closed Won", true, 1.0m),
            ("closedlost", "Closed Lost", true, 0.0m),
        ];
        foreach (var (id, label, closed, probability) in stages)
        {
            sales.Stages.Add(new DealStage(id, label, sales.Stages.Count, closed, probability));
        }

        _pipelines[sales.Id] = sales;
    }

    private PropertyError? InvalidPipelineValue(string property, string value)
    {
        var valid = property == "pipeline"
            ? _pipelines.ContainsKey(value)
            : _pipelines.Values.Any(p => p.Stages.Any(s => s.Id == value));
        return valid
            ? null
            : new PropertyError(property, "INVALID_OPTION", $"{value} was not one of the allowed options: [{string.Join(", ", property == "pipeline" ? _pipelines.Keys : _pipelines.Values.SelectMany(p => p.Stages).Select(s => s.Id))}]");
    }

    /// <summary>Recalculates <c>hs_is_closed</c> and <c>hs_is_closed_won</c> from the deal's stage metadata.</summary>
    private void RefreshDealFlags(StoredRecord deal)
    {
        var stageId = deal.Properties.GetValueOrDefault("dealstage");
        var pipelineId = deal.Properties.GetValueOrDefault("pipeline") ?? DefaultPipelineId;
        var stage = (_pipelines.GetValueOrDefault(pipelineId)?.Stages ?? []).Concat(_pipelines.Values.SelectMany(p => p.Stages)).FirstOrDefault(s => s.Id == stageId);
        deal.Properties["hs_is_closed"] = stage?.IsClosed == true ? "true" : "false";
        deal.Properties["hs_is_closed_won"] = stage is { IsClosed: true, Probability: 1.0m } ? "true" : "false";
    }

    /// <summary><c>GET /crm/v3/pipelines/{objectType}</c>: only deals have pipelines in the simulator.</summary>
    private SimulatorResponse ListPipelines(string objectType)
    {
        if (objectType != "deals")
        {
            return Error(400, $"Object type {objectType} does not support pipelines in this simulator.", "VALIDATION_ERROR");
        }

        var created = FormatTimestamp(_ownersCreatedAt);
        return SimulatorResponse.Json(200, new JsonObject
        {
            ["results"] = new JsonArray(_pipelines.Values.OrderBy(p => p.DisplayOrder).Select(p => (JsonNode?)new JsonObject
            {
                ["id"] = p.Id,
                ["label"] = p.Label,
                ["displayOrder"] = p.DisplayOrder,
                ["archived"] = false,
                ["createdAt"] = created,
                ["updatedAt"] = created,
                ["stages"] = new JsonArray(p.Stages.Select(s => (JsonNode?)new JsonObject
                {
                    ["id"] = s.Id,
                    ["label"] = s.Label,
                    ["displayOrder"] = s.DisplayOrder,
                    ["metadata"] = new JsonObject
                    {
                        ["isClosed"] = s.IsClosed ? "true" : "false",
                        ["probability"] = s.Probability.ToString("0.0", CultureInfo.InvariantCulture),
                    },
                    ["archived"] = false,
                    ["writePermissions"] = "CRM_PERMISSIONS_ENFORCEMENT",
                    ["createdAt"] = created,
                    ["updatedAt"] = created,
                }).ToArray()),
            }).ToArray()),
        });
    }

    /// <summary><c>POST /crm/v4/associations/{from}/{to}/batch/read</c> with <c>{"inputs":[{"id":"…"}]}</c>.</summary>
    private SimulatorResponse ReadAssociations(string fromType, string toType, SimulatorRequest request)
    {
        var from = NormalizeObjectType(fromType);
        var to = NormalizeObjectType(toType);
        if (from is null || to is null)
        {
            return Error(400, $"Unable to infer object type from: {(from is null ? fromType : toType)}", "VALIDATION_ERROR");
        }

        var body = request.JsonBody();
        if (body?["inputs"] is not JsonArray inputs || inputs.Any(i => i is not JsonObject))
        {
            return InvalidJson("BatchInputPublicFetchAssociationsBatchRequest", "inputs");
        }

        if (inputs.Count > MaxAssociationReadInputs)
        {
            return Error(400, $"Too many inputs: {inputs.Count}. The maximum batch size is {MaxAssociationReadInputs}.", "VALIDATION_ERROR");
        }

        var startedAt = _time.GetUtcNow();
        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var id in inputs.Select(i => i!["id"]?.ToString() ?? string.Empty).Distinct(StringComparer.Ordinal))
        {
            var record = FindRecord(from, id, null);
            var targets = record?.Associations.Where(a => a.ToObjectType == to && FindRecord(to, a.ToObjectId, null) is not null).ToList() ?? [];
            if (targets.Count == 0)
            {
                errors.Add(new JsonObject
                {
                    ["status"] = "error",
                    ["category"] = "OBJECT_NOT_FOUND",
                    ["subCategory"] = "crm.associations.NO_ASSOCIATIONS_FOUND",
                    ["message"] = $"No {Singular(to)} is associated with {Singular(from)} {id}.",
                    ["context"] = new JsonObject { ["fromObjectId"] = new JsonArray(id) },
                    ["errors"] = new JsonArray(),
                    ["links"] = new JsonObject(),
                });
                continue;
            }

            results.Add(new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = id },
                ["to"] = new JsonArray(targets.GroupBy(a => a.ToObjectId).Select(g => (JsonNode?)new JsonObject
                {
                    ["toObjectId"] = long.Parse(g.Key, CultureInfo.InvariantCulture),
                    ["associationTypes"] = new JsonArray(g.Select(a => (JsonNode?)new JsonObject
                    {
                        ["category"] = a.AssociationCategory,
                        ["typeId"] = a.AssociationTypeId,
                        ["label"] = a.AssociationTypeId == AssociationTypeIds.GetValueOrDefault((from, to))?[^1] && AssociationTypeIds[(from, to)].Length > 1 ? "Primary" : null,
                    }).ToArray()),
                }).ToArray()),
            });
        }

        return BatchResponse(200, results, errors, startedAt);
    }

    private sealed record Pipeline(string Id, string Label, int DisplayOrder, List<DealStage> Stages);

    private sealed record DealStage(string Id, string Label, int DisplayOrder, bool IsClosed, decimal Probability);
}
