using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    /// <summary>HubSpot's documented limit for a string (single- or multi-line text) property value, in characters.</summary>
    private const int MaxStringLength = 65_536;

    private static readonly string[] ObjectTypes = ["contacts", "companies", "deals", "notes", "emails", "calls", "meetings", "tasks"];

    /// <summary>Association type ids from an engagement to a contact.</summary>
    private static readonly Dictionary<string, int> ContactAssociationTypeIds = new(StringComparer.Ordinal)
    {
        ["notes"] = 202,
        ["emails"] = 198,
        ["calls"] = 194,
        ["meetings"] = 200,
        ["tasks"] = 204,
    };

    private readonly Dictionary<string, Dictionary<string, StoredRecord>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, PropertyDefinition>> _properties = new(StringComparer.Ordinal);

    // Records by (object type, property, value), kept by every property write, so that a look-up by a unique property
    // costs the same with 100,000 records as with 10: a linear scan made batch upserts slow down as the store grew.
    private readonly PropertyValueIndex _valueIndex = new();
    private long _nextId;

    private static string? NormalizeObjectType(string type)
    {
        var lower = type.ToLowerInvariant();
        return lower switch
        {
            "contact" or "0-1" => "contacts",
            "company" or "0-2" => "companies",
            "deal" or "0-3" => "deals",
            "note" or "0-46" => "notes",
            "email" or "0-49" => "emails",
            "call" or "0-48" => "calls",
            "meeting" or "0-47" => "meetings",
            "task" or "0-27" => "tasks",
            _ => ObjectTypes.Contains(lower) ? lower : null,
        };
    }

    private static string Singular(string objectType) => objectType == "companies" ? "company" : objectType[..^1];

    /// <summary>Returns whether the type is an engagement (note, email, call, meeting or task), which needs <c>hs_timestamp</c>.</summary>
    private static bool IsEngagement(string objectType) => ContactAssociationTypeIds.ContainsKey(objectType);

    /// <summary>Returns the creation-date property: <c>createdate</c> on CRM objects, <c>hs_createdate</c> on engagements.</summary>
    private static string CreatedProperty(string objectType) => IsEngagement(objectType) ? "hs_createdate" : "createdate";

    /// <summary>Returns the last-modified property: <c>lastmodifieddate</c> on contacts, <c>hs_lastmodifieddate</c> on everything else.</summary>
    private static string ModifiedProperty(string objectType) => objectType == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";

    private static string GroupOf(string objectType) => objectType switch
    {
        "contacts" => "contactinformation",
        "companies" => "companyinformation",
        "deals" => "dealinformation",
        _ => "engagement",
    };

    private static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void ResetStore()
    {
        _nextId = 1000;
        _records.Clear();
        _valueIndex.Clear();
        _properties.Clear();
        var now = _time.GetUtcNow();
        foreach (var type in ObjectTypes)
        {
            _records[type] = new Dictionary<string, StoredRecord>(StringComparer.Ordinal);
            _properties[type] = BuiltInProperties(type, now).ToDictionary(p => p.Name, StringComparer.Ordinal);
        }

        foreach (var name in _options.PredefinedUniqueContactProperties)
        {
            _properties["contacts"][name] = new PropertyDefinition(name, name, "string", "text", "contactinformation", HasUniqueValue: true, ReadOnly: false, Custom: true, Options: null, now);
        }
    }

    /// <summary>The labels HubSpot shows for its built-in properties (the name where HubSpot's label is the same).</summary>
    private static string LabelOf(string name) => name switch
    {
        "firstname" => "First Name",
        "lastname" => "Last Name",
        "phone" => "Phone Number",
        "mobilephone" => "Mobile Phone Number",
        "company" => "Company Name",
        "jobtitle" => "Job Title",
        "website" => "Website URL",
        "address" => "Street Address",
        "city" => "City",
        "state" => "State/Region",
        "zip" => "Postal Code",
        "country" => "Country/Region",
        "lifecyclestage" => "Lifecycle Stage",
        "hs_lead_status" => "Lead Status",
        "hs_analytics_source" => "Original Source",
        "createdate" => "Create Date",
        "lastmodifieddate" or "hs_lastmodifieddate" => "Last Modified Date",
        "name" => "Name",
        "domain" => "Company Domain Name",
        "industry" => "Industry",
        "description" => "Description",
        "dealname" => "Deal Name",
        "amount" => "Amount",
        _ => name,
    };

    private static IEnumerable<PropertyDefinition> BuiltInProperties(string type, DateTimeOffset now)
    {
        PropertyDefinition Text(string name, string group) => new(name, LabelOf(name), "string", name.Contains("phone", StringComparison.Ordinal) ? "phonenumber" : "text", group, false, false, false, null, now);
        PropertyDefinition Enum(string name, string group, params string[] options) => new(name, LabelOf(name), "enumeration", "select", group, false, false, false, options, now);
        PropertyDefinition DateTime(string name, string group, bool readOnly = false) => new(name, LabelOf(name), "datetime", "date", group, false, readOnly, false, null, now);
        PropertyDefinition Number(string name, string group) => new(name, LabelOf(name), "number", "number", group, false, false, false, null, now);

        yield return new PropertyDefinition("hs_object_id", "Record ID", "number", "number", GroupOf(type), false, true, false, null, now);
        yield return new PropertyDefinition("hubspot_owner_id", "Owner", "enumeration", "select", GroupOf(type), false, false, false, null, now);

        if (type == "contacts")
        {
            const string Group = "contactinformation";
            yield return new PropertyDefinition("email", "Email", "string", "text", Group, true, false, false, null, now);
            foreach (var name in new[] { "firstname", "lastname", "phone", "mobilephone", "company", "jobtitle", "website", "address", "city", "state", "zip", "country" })
            {
                yield return Text(name, Group);
            }

            yield return Enum("lifecyclestage", Group, "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
            yield return Enum("hs_lead_status", Group, "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");
            yield return Enum("hs_analytics_source", Group, AnalyticsSources).WithReadOnly();
            yield return DateTime("createdate", Group, readOnly: true);
            yield return DateTime("lastmodifieddate", Group, readOnly: true);
            yield break;
        }

        if (type == "companies")
        {
            const string Group = "companyinformation";
            foreach (var name in new[] { "name", "domain", "website", "phone", "address", "city", "state", "zip", "country", "industry", "description" })
            {
                yield return Text(name, Group);
            }

            yield return DateTime("createdate", Group, readOnly: true);
            yield return DateTime("hs_lastmodifieddate", Group, readOnly: true);
            yield break;
        }

        if (type == "deals")
        {
            const string Group = "dealinformation";
            yield return Text("dealname", Group);
            yield return Text("description", Group);
            yield return Text("closed_lost_reason", Group);
            yield return Text("closed_won_reason", Group);
            yield return Number("amount", Group);
            yield return DateTime("closedate", Group);

            // Options are checked against the pipelines (see ValidateValue), as HubSpot does.
            yield return new PropertyDefinition("pipeline", "Pipeline", "enumeration", "select", Group, false, false, false, null, now);
            yield return new PropertyDefinition("dealstage", "Deal Stage", "enumeration", "select", Group, false, false, false, null, now);
            yield return new PropertyDefinition("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", Group, false, true, false, null, now);
            yield return new PropertyDefinition("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", Group, false, true, false, null, now);
            yield return Enum("hs_analytics_source", Group, AnalyticsSources).WithReadOnly();
            yield return DateTime("createdate", Group, readOnly: true);
            yield return DateTime("hs_lastmodifieddate", Group, readOnly: true);
            yield break;
        }

        const string Engagement = "engagement";
        yield return DateTime("hs_timestamp", Engagement);
        yield return DateTime("hs_createdate", Engagement, readOnly: true);
        yield return DateTime("hs_lastmodifieddate", Engagement, readOnly: true);
        yield return Text("hs_attachment_ids", Engagement);

        switch (type)
        {
            case "notes":
                yield return Text("hs_note_body", Engagement);
                break;
            case "emails":
                yield return Enum("hs_email_direction", Engagement, "EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL");
                yield return Enum("hs_email_status", Engagement, "BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT");
                foreach (var name in new[] { "hs_email_subject", "hs_email_text", "hs_email_html", "hs_email_headers" })
                {
                    yield return Text(name, Engagement);
                }

                break;
            case "calls":
                foreach (var name in new[] { "hs_call_title", "hs_call_body", "hs_call_disposition", "hs_call_from_number", "hs_call_to_number", "hs_call_recording_url" })
                {
                    yield return Text(name, Engagement);
                }

                yield return Enum("hs_call_direction", Engagement, "INBOUND", "OUTBOUND");
                yield return Enum("hs_call_status", Engagement, "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING");
                yield return Number("hs_call_duration", Engagement);
                break;
            case "meetings":
                foreach (var name in new[] { "hs_meeting_title", "hs_meeting_body", "hs_meeting_location", "hs_internal_meeting_notes", "hs_meeting_external_url" })
                {
                    yield return Text(name, Engagement);
                }

                yield return DateTime("hs_meeting_start_time", Engagement);
                yield return DateTime("hs_meeting_end_time", Engagement);
                yield return Enum("hs_meeting_outcome", Engagement, "SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED");
                break;
            case "tasks":
                yield return Text("hs_task_subject", Engagement);
                yield return Text("hs_task_body", Engagement);
                yield return Enum("hs_task_status", Engagement, "NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED");
                yield return Enum("hs_task_priority", Engagement, "LOW", "MEDIUM", "HIGH", "NONE");
                yield return Enum("hs_task_type", Engagement, "EMAIL", "CALL", "TODO", "LINKED_IN");
                break;
        }
    }

    /// <summary>Validates property values for a write and converts them to strings.</summary>
    private List<PropertyError> ValidateProperties(string objectType, JsonObject? properties, bool isCreate, out Dictionary<string, string?> values)
    {
        values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<PropertyError>();
        var definitions = _properties[objectType];

        if (properties is not null)
        {
            foreach (var (name, node) in properties)
            {
                var value = node switch
                {
                    null => string.Empty,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
                    _ => node.ToJsonString(),
                };

                if (!definitions.TryGetValue(name, out var definition))
                {
                    errors.Add(new PropertyError(name, "PROPERTY_DOESNT_EXIST", $"Property \"{name}\" does not exist"));
                    continue;
                }

                if (definition.ReadOnly)
                {
                    errors.Add(new PropertyError(name, "READ_ONLY_VALUE", $"\"{name}\" is a read only property; its value cannot be set."));
                    continue;
                }

                if (value.Length > 0 && ValidateValue(definition, value) is { } error)
                {
                    errors.Add(error);
                    continue;
                }

                values[name] = name == "email" ? value.Trim().ToLowerInvariant() : value;
            }
        }

        if (isCreate && IsEngagement(objectType) && string.IsNullOrEmpty(values.GetValueOrDefault("hs_timestamp")) && !errors.Any(e => e.Name == "hs_timestamp"))
        {
            errors.Add(new PropertyError("hs_timestamp", "REQUIRED_FIELD", "hs_timestamp is required"));
        }

        return errors;
    }

    private PropertyError? ValidateValue(PropertyDefinition definition, string value)
    {
        if (definition.Name == "email")
        {
            return EmailPattern().IsMatch(value.Trim()) ? null : new PropertyError("email", "INVALID_EMAIL", $"Email address {value} is invalid");
        }

        if (definition.Name is "pipeline" or "dealstage" && InvalidPipelineValue(definition.Name, value) is { } pipelineError)
        {
            return pipelineError;
        }

        if (definition.Name == "hubspot_owner_id")
        {
            return _options.Owners.Any(o => !o.Archived && o.Id == value)
                ? null
                : new PropertyError(definition.Name, "INVALID_OPTION", $"{value} was not one of the allowed options: [{string.Join(", ", _options.Owners.Where(o => !o.Archived).Select(o => o.Id))}]");
        }

        return definition.Type switch
        {
            "string" when value.Length > MaxStringLength =>
                new PropertyError(definition.Name, "INVALID_STRING_LENGTH", $"Value for property {definition.Name} is {value.Length} characters long; the maximum is {MaxStringLength}."),
            "enumeration" when definition.Options is { } options && !options.Contains(value) =>
                new PropertyError(definition.Name, "INVALID_OPTION", $"{value} was not one of the allowed options: [{string.Join(", ", options)}]"),
            "number" when !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) =>
                new PropertyError(definition.Name, "INVALID_INTEGER", $"{value} is not a valid integer"),
            "bool" when value is not ("true" or "false") =>
                new PropertyError(definition.Name, "INVALID_BOOLEAN", $"{value} is not a valid boolean"),
            "datetime" or "date" when !TryParseHubSpotDate(value, out _) =>
                new PropertyError(definition.Name, "INVALID_DATE", $"{value} is not a valid date or datetime; use ISO 8601 or epoch milliseconds"),
            _ => null,
        };
    }

    private static bool TryParseHubSpotDate(string value, out DateTimeOffset result)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis))
        {
            result = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out result)
            && value.Length >= 10 && value[4] == '-';
    }

    private static SimulatorResponse ValidationFailed(IReadOnlyList<PropertyError> errors) =>
        Error(400, ValidationMessage(errors), "VALIDATION_ERROR");

    private static string ValidationMessage(IReadOnlyList<PropertyError> errors)
    {
        var array = new JsonArray(errors.Select(e => (JsonNode?)new JsonObject
        {
            ["isValid"] = false,
            ["message"] = e.Message,
            ["error"] = e.Code,
            ["name"] = e.Name,
        }).ToArray());
        return "Property values were not valid: " + array.ToJsonString(SimulatorResponse.JsonOptions);
    }

    private StoredRecord? FindRecord(string objectType, string id, string? idProperty)
    {
        var records = _records[objectType];
        if (string.IsNullOrEmpty(idProperty) || idProperty == "hs_object_id")
        {
            return records.TryGetValue(id, out var byId) && !byId.Archived ? byId : null;
        }

        var value = idProperty == "email" ? id.Trim().ToLowerInvariant() : id;
        return LiveRecordsWith(objectType, idProperty, value).FirstOrDefault();
    }

    /// <summary>Finds a live record, other than <paramref name="exceptId"/>, that already holds one of the unique values.</summary>
    private (StoredRecord Record, string Property)? FindUniqueConflict(string objectType, IReadOnlyDictionary<string, string?> values, string? exceptId)
    {
        foreach (var (name, value) in values)
        {
            if (string.IsNullOrEmpty(value) || !_properties[objectType].TryGetValue(name, out var definition) || !definition.HasUniqueValue)
            {
                continue;
            }

            var existing = LiveRecordsWith(objectType, name, value).FirstOrDefault(r => r.Id != exceptId);
            if (existing is not null)
            {
                return (existing, name);
            }
        }

        return null;
    }

    /// <summary>Live records of a type holding a property value, oldest first (the order a scan of the store gave).</summary>
    private IEnumerable<StoredRecord> LiveRecordsWith(string objectType, string property, string value)
    {
        var records = _records[objectType];
        return _valueIndex.Find(objectType, property, value)
            .Where(r => !r.Archived && records.TryGetValue(r.Id, out var stored) && ReferenceEquals(stored, r))
            .OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
    }

    private static string ConflictMessage(string objectType, StoredRecord existing, string property) =>
        property == "email"
            ? $"{Capitalize(Singular(objectType))} already exists. Existing ID: {existing.Id}"
            : $"{Capitalize(Singular(objectType))} already exists with {property} = {existing.Properties[property]}. Existing ID: {existing.Id}";

    private static string Capitalize(string value) => char.ToUpperInvariant(value[0]) + value[1..];

    private StoredRecord CreateRecord(string objectType, Dictionary<string, string?> values, List<HubSpotSimulatedAssociation> associations)
    {
        var now = _time.GetUtcNow();
        var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        var record = new StoredRecord(id, objectType, now, _valueIndex);
        record.Properties["hs_object_id"] = id;
        record.Properties[CreatedProperty(objectType)] = FormatTimestamp(now);
        if (objectType == "deals")
        {
            values.TryAdd("pipeline", DefaultPipelineId);
        }

        ApplyValues(record, values, now);
        record.Associations.AddRange(associations);
        _records[objectType][id] = record;
        return record;
    }

    private void ApplyValues(StoredRecord record, Dictionary<string, string?> values, DateTimeOffset now)
    {
        foreach (var (name, value) in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                record.Properties.Remove(name);
            }
            else
            {
                record.Properties[name] = value;
            }
        }

        if (record.ObjectType == "deals")
        {
            RefreshDealFlags(record);
        }

        record.UpdatedAt = now;
        record.Properties[ModifiedProperty(record.ObjectType)] = FormatTimestamp(now);
    }

    private JsonObject ToJson(StoredRecord record, IReadOnlyCollection<string>? requested, bool allProperties = false, bool includeAssociations = false)
    {
        var properties = new JsonObject();
        if (allProperties)
        {
            foreach (var (name, value) in record.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                properties[name] = value;
            }
        }
        else
        {
            IEnumerable<string> names = record.ObjectType switch
            {
                "contacts" => ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
                "companies" => ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
                "deals" => ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
                _ => ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
            };
            if (requested is { Count: > 0 })
            {
                names = requested.Concat([CreatedProperty(record.ObjectType), "hs_object_id", ModifiedProperty(record.ObjectType)]);
            }

            foreach (var name in names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
            {
                properties[name] = record.Properties.GetValueOrDefault(name);
            }
        }

        var json = new JsonObject
        {
            ["id"] = record.Id,
            ["properties"] = properties,
            ["createdAt"] = FormatTimestamp(record.CreatedAt),
            ["updatedAt"] = FormatTimestamp(record.UpdatedAt),
            ["archived"] = record.Archived,
        };

        if (includeAssociations && record.Associations.Count > 0)
        {
            var associations = new JsonObject();
            foreach (var group in record.Associations.GroupBy(a => a.ToObjectType))
            {
                associations[group.Key] = new JsonObject
                {
                    ["results"] = new JsonArray(group.Select(a => (JsonNode?)new JsonObject
                    {
                        ["id"] = a.ToObjectId,
                        ["type"] = $"{Singular(record.ObjectType)}_to_{Singular(a.ToObjectType)}",
                    }).ToArray()),
                };
            }

            json["associations"] = associations;
        }

        return json;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    private sealed record PropertyError(string Name, string Code, string Message);

    private sealed record PropertyDefinition(
        string Name,
        string Label,
        string Type,
        string FieldType,
        string GroupName,
        bool HasUniqueValue,
        bool ReadOnly,
        bool Custom,
        IReadOnlyList<string>? Options,
        DateTimeOffset CreatedAt)
    {
        public PropertyDefinition WithReadOnly() => this with { ReadOnly = true };
    }

    private sealed class StoredRecord
    {
        public StoredRecord(string id, string objectType, DateTimeOffset createdAt, PropertyValueIndex index)
        {
            Id = id;
            ObjectType = objectType;
            CreatedAt = createdAt;
            UpdatedAt = createdAt;
            Properties = new RecordProperties(this, index);
        }

        public string Id { get; }

        public string ObjectType { get; }

        public RecordProperties Properties { get; }

        public DateTimeOffset CreatedAt { get; }

        public DateTimeOffset UpdatedAt { get; set; }

        public bool Archived { get; set; }

        public List<HubSpotSimulatedAssociation> Associations { get; } = [];

        public HubSpotSimulatedRecord Snapshot() =>
            new(Id, ObjectType, new Dictionary<string, string?>(Properties, StringComparer.Ordinal), CreatedAt, UpdatedAt, Archived, Associations.ToList());
    }

    /// <summary>A record's property values; every write keeps <see cref="PropertyValueIndex"/> in step.</summary>
    private sealed class RecordProperties(StoredRecord owner, PropertyValueIndex index) : IReadOnlyDictionary<string, string?>
    {
        private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

        public int Count => _values.Count;

        public IEnumerable<string> Keys => _values.Keys;

        public IEnumerable<string?> Values => _values.Values;

        public string? this[string key]
        {
            get => _values[key];
            set
            {
                if (_values.TryGetValue(key, out var old))
                {
                    index.Remove(owner, key, old);
                }

                _values[key] = value;
                index.Add(owner, key, value);
            }
        }

        public bool Remove(string key)
        {
            if (!_values.Remove(key, out var old))
            {
                return false;
            }

            index.Remove(owner, key, old);
            return true;
        }

        public bool ContainsKey(string key) => _values.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string? value) => _values.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => _values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Records by (object type, property, value).</summary>
    private sealed class PropertyValueIndex
    {
        private readonly Dictionary<(string ObjectType, string Property, string Value), HashSet<StoredRecord>> _records = [];

        public IEnumerable<StoredRecord> Find(string objectType, string property, string value) =>
            _records.TryGetValue((objectType, property, value), out var found) ? found : [];

        public void Add(StoredRecord record, string property, string? value)
        {
            if (value is null)
            {
                return;
            }

            var key = (record.ObjectType, property, value);
            if (!_records.TryGetValue(key, out var set))
            {
                set = new HashSet<StoredRecord>(ReferenceEqualityComparer.Instance);
                _records[key] = set;
            }

            set.Add(record);
        }

        public void Remove(StoredRecord record, string property, string? value)
        {
            if (value is not null && _records.TryGetValue((record.ObjectType, property, value), out var set) && set.Remove(record) && set.Count == 0)
            {
                _records.Remove((record.ObjectType, property, value));
            }
        }

        public void Clear() => _records.Clear();
    }
}
