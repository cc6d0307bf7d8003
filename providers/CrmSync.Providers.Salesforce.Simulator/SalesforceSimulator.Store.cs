using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Salesforce.Simulator;

public sealed partial class SalesforceSimulator
{
    private static readonly string[] ObjectTypes = ["Lead", "Contact", "Task", "Event", "Account", "Opportunity"];
    private static readonly string[] SystemFields = ["Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp"];

    private static readonly Dictionary<string, string> IdPrefixes = new(StringComparer.Ordinal)
    {
        ["Lead"] = "00Q",
        ["Contact"] = "003",
        ["Task"] = "00T",
        ["Event"] = "00U",
        ["Account"] = "001",
        ["Opportunity"] = "006",
    };

    private static readonly Dictionary<string, string[]> WritableFields = new(StringComparer.Ordinal)
    {
        ["Contact"] = ["FirstName", "LastName", "Salutation", "Email", "Phone", "MobilePhone", "Title", "Department", "AccountId", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "LeadSource", "Description", "OwnerId", "HasOptedOutOfEmail"],
        ["Lead"] = ["FirstName", "LastName", "Salutation", "Company", "Email", "Phone", "MobilePhone", "Title", "Status", "LeadSource", "Street", "City", "State", "PostalCode", "Country", "Website", "Industry", "Description", "OwnerId", "HasOptedOutOfEmail"],
        ["Task"] = ["Subject", "Status", "Priority", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Description", "TaskSubtype", "Type", "CallType", "CallDurationInSeconds", "CallDisposition", "CallObject", "ReminderDateTime", "IsReminderSet"],
        ["Event"] = ["Subject", "StartDateTime", "EndDateTime", "ActivityDateTime", "ActivityDate", "DurationInMinutes", "IsAllDayEvent", "WhoId", "WhatId", "OwnerId", "Location", "Description", "Type", "ShowAs"],
        ["Account"] = ["Name", "Website", "Phone", "Industry", "Type", "AccountSource", "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "Description", "OwnerId"],
        ["Opportunity"] = ["Name", "StageName", "CloseDate", "Amount", "Probability", "AccountId", "OwnerId", "LeadSource", "Type", "NextStep", "Description"],
    };

    private static readonly Dictionary<string, string[]> ComputedFields = new(StringComparer.Ordinal)
    {
        ["Contact"] = ["Name"],
        ["Lead"] = ["Name", "IsConverted"],
        ["Task"] = ["IsClosed"],
        ["Event"] = [],
        ["Account"] = [],
        ["Opportunity"] = ["IsClosed", "IsWon"],
    };

    private static readonly string[] UserFields = ["Id", "Name", "FirstName", "LastName", "Email", "Username", "IsActive", "ProfileId"];

    /// <summary>Setup objects the simulator answers queries about but never writes through the data endpoints.</summary>
    private static readonly string[] SetupObjects = ["User", "PermissionSet"];

    private static bool IsSetupObject(string? objectType) => objectType is "User" or "PermissionSet";

    private readonly Dictionary<string, Dictionary<string, StoredRecord>> _records = new(StringComparer.Ordinal);
    private long _sequence;

    private static string? NormalizeObjectType(string type) =>
        ObjectTypes.Concat(SetupObjects).FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));

    private void ResetStore()
    {
        _sequence = 0;
        _records.Clear();
        _queryCursors.Clear();
        ResetOpportunityStages();
        foreach (var type in ObjectTypes)
        {
            _records[type] = new Dictionary<string, StoredRecord>(StringComparer.Ordinal);
        }
    }

    private Dictionary<string, Dictionary<string, StoredRecord>> SnapshotStore() =>
        _records.ToDictionary(t => t.Key, t => t.Value.ToDictionary(r => r.Key, r => r.Value.Clone(), StringComparer.Ordinal), StringComparer.Ordinal);

    private void RestoreStore(Dictionary<string, Dictionary<string, StoredRecord>> snapshot)
    {
        _records.Clear();
        foreach (var (type, records) in snapshot)
        {
            _records[type] = records;
        }
    }

    /// <summary>Returns the field's canonical name, or <see langword="null"/> when the object has no such field.</summary>
    private string? ResolveField(string objectType, string field)
    {
        IEnumerable<string> all = objectType == "User" ? UserFields
            : objectType == "PermissionSet" ? PermissionSetFields
            : SystemFields.Concat(WritableFieldsOf(objectType)).Concat(ComputedFields[objectType]).Concat(CustomFieldsOf(objectType));
        return all.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Task fields that exist only with Salesforce Call Center.</summary>
    private static readonly string[] CallCenterFields = ["CallType", "CallDurationInSeconds", "CallDisposition", "CallObject"];

    /// <summary>The writable standard fields of an object in this org (Task's Call Center fields only with <see cref="SalesforceSimulatorOptions.CallCenter"/>).</summary>
    private IEnumerable<string> WritableFieldsOf(string objectType) =>
        objectType == "Task" && !_options.CallCenter ? WritableFields[objectType].Except(CallCenterFields, StringComparer.Ordinal) : WritableFields[objectType];

    /// <summary>The API names of the custom fields of the object the connected user can see (field-level security).</summary>
    private IEnumerable<string> CustomFieldsOf(string objectType) => VisibleCustomFields(objectType).Select(f => f.Name);

    private static string NewId(string prefix, long sequence)
    {
        var body = prefix + "SIM" + sequence.ToString("D9", CultureInfo.InvariantCulture);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        var suffix = new char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(body[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Alphabet[bits];
        }

        return body + new string(suffix);
    }

    private static bool SameId(string stored, string candidate) =>
        candidate.Length == 15 ? stored.StartsWith(candidate, StringComparison.Ordinal) : string.Equals(stored, candidate, StringComparison.Ordinal);

    private StoredRecord? FindById(string objectType, string id) =>
        _records[objectType].Values.FirstOrDefault(r => SameId(r.Id, id));

    private StoredRecord? FindAnyById(string id) =>
        _records.Values.SelectMany(r => r.Values).FirstOrDefault(r => SameId(r.Id, id));

    private List<StoredRecord> FindByExternalId(string objectType, string field, string value)
    {
        if (string.Equals(field, "Id", StringComparison.Ordinal))
        {
            return FindById(objectType, value) is { } byId ? [byId] : [];
        }

        var canonical = ResolveField(objectType, field) ?? field;
        return _records[objectType].Values
            .Where(r => string.Equals(Text(r.Fields.GetValueOrDefault(canonical)), value, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    private (StoredRecord? Record, SaveError? Error) Create(string version, string objectType, JsonObject body, bool allowDuplicates)
    {
        if (objectType == "Task")
        {
            body["Status"] ??= "Not Started";
            body["Priority"] ??= "Normal";
            body["TaskSubtype"] ??= "Task";
        }

        if (objectType == "Lead")
        {
            body["Status"] ??= "Open - Not Contacted";
        }

        var ownerId = _options.Users.FirstOrDefault(u => u.IsActive)?.Id;
        if (ownerId is not null)
        {
            body["OwnerId"] ??= ownerId;
        }

        var error = Validate(objectType, body, existing: null, allowDuplicates, version);
        if (error is not null)
        {
            return (null, error);
        }

        var now = _time.GetUtcNow();
        var sequence = ++_sequence;
        var record = new StoredRecord(NewId(IdPrefixes[objectType], sequence), objectType, sequence, now);
        Apply(record, body, now);
        _records[objectType][record.Id] = record;
        return (record, null);
    }

    private SaveError? Update(StoredRecord record, JsonObject body, bool allowDuplicates)
    {
        var error = Validate(record.ObjectType, body, record, allowDuplicates, _apiVersion);
        if (error is not null)
        {
            return error;
        }

        Apply(record, body, _time.GetUtcNow());
        return null;
    }

    private void Apply(StoredRecord record, JsonObject body, DateTimeOffset now)
    {
        foreach (var (name, value) in body)
        {
            var field = ResolveField(record.ObjectType, name)!;
            var normalized = value?.DeepClone();
            if (field == "Email" && normalized is JsonValue email && email.GetValueKind() == JsonValueKind.String)
            {
                normalized = email.GetValue<string>().Trim().ToLowerInvariant();
            }

            if (normalized is null || (normalized is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
            {
                record.Fields.Remove(field);
            }
            else
            {
                record.Fields[field] = normalized;
            }
        }

        if (record.ObjectType is "Lead" or "Contact")
        {
            var name = string.Join(' ', new[] { Text(record.Fields.GetValueOrDefault("FirstName")), Text(record.Fields.GetValueOrDefault("LastName")) }.Where(s => !string.IsNullOrEmpty(s)));
            record.Fields["Name"] = name;
        }

        if (record.ObjectType == "Task")
        {
            record.Fields["IsClosed"] = Text(record.Fields.GetValueOrDefault("Status")) == "Completed";
        }

        if (record.ObjectType == "Lead")
        {
            record.Fields.TryAdd("IsConverted", false);
        }

        if (record.ObjectType == "Opportunity")
        {
            var stage = FindOpportunityStage(Text(record.Fields.GetValueOrDefault("StageName")));
            record.Fields["IsClosed"] = stage?.IsClosed == true;
            record.Fields["IsWon"] = stage?.IsWon == true;
        }

        record.UpdatedAt = now;
    }

    private SaveError? Validate(string objectType, JsonObject body, StoredRecord? existing, bool allowDuplicates, string version)
    {
        foreach (var (name, _) in body)
        {
            var field = ResolveField(objectType, name);
            if (field is null)
            {
                return new SaveError("INVALID_FIELD", $"No such column '{name}' on sobject of type {objectType}", []);
            }

            if (SystemFields.Contains(field) || ComputedFields[objectType].Contains(field) || IsReadOnlyCustomField(objectType, field))
            {
                return new SaveError("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", [field]);
            }
        }

        string? Value(string field)
        {
            var key = body.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase));
            return key is not null ? Text(body[key]) : existing is null ? null : Text(existing.Fields.GetValueOrDefault(field));
        }

        string[] required = objectType switch
        {
            "Contact" => ["LastName"],
            "Lead" => ["LastName", "Company"],
            "Task" => ["Status", "Priority"],
            "Account" => ["Name"],
            "Opportunity" => ["Name", "StageName", "CloseDate"],
            _ => [],
        };
        var missing = required.Where(f => string.IsNullOrEmpty(Value(f))).ToList();
        if (objectType == "Event")
        {
            if (string.IsNullOrEmpty(Value("StartDateTime")) && string.IsNullOrEmpty(Value("ActivityDateTime")) && string.IsNullOrEmpty(Value("ActivityDate")))
            {
                missing.Add("ActivityDateTime");
            }

            if (string.IsNullOrEmpty(Value("EndDateTime")) && string.IsNullOrEmpty(Value("DurationInMinutes")))
            {
                missing.Add("DurationInMinutes");
            }
        }

        if (missing.Count > 0)
        {
            return new SaveError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
        }

        var stageName = Value("StageName");
        if (objectType == "Opportunity" && FindOpportunityStage(stageName) is null)
        {
            return new SaveError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Stage: bad value for restricted picklist field: {stageName}", ["StageName"]);
        }

        var accountId = Value("AccountId");
        if (objectType == "Opportunity" && !string.IsNullOrEmpty(accountId) && FindById("Account", accountId) is null)
        {
            return new SaveError("FIELD_INTEGRITY_EXCEPTION", $"Account ID: id value of incorrect type: {accountId}", ["AccountId"]);
        }

        var email = Value("Email");
        if (!string.IsNullOrEmpty(email) && !EmailPattern().IsMatch(email.Trim()))
        {
            return new SaveError("INVALID_EMAIL_ADDRESS", $"Email: invalid email address: {email}", ["Email"]);
        }

        var owner = Value("OwnerId");
        if (!string.IsNullOrEmpty(owner) && !_options.Users.Any(u => u.IsActive && SameId(u.Id, owner)))
        {
            return new SaveError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["OwnerId"]);
        }

        var whoId = Value("WhoId");
        if (!string.IsNullOrEmpty(whoId) && FindAnyById(whoId) is not { ObjectType: "Lead" or "Contact" })
        {
            return new SaveError("FIELD_INTEGRITY_EXCEPTION", $"Name ID: id value of incorrect type: {whoId}", ["WhoId"]);
        }

        foreach (var unique in VisibleCustomFields(objectType).Where(f => f.Unique))
        {
            var uniqueValue = Value(unique.Name);
            var clash = string.IsNullOrEmpty(uniqueValue) ? null : FindByExternalId(objectType, unique.Name, uniqueValue).FirstOrDefault(r => r.Id != existing?.Id);
            if (clash is not null)
            {
                return new SaveError("DUPLICATE_VALUE", $"duplicate value found: {unique.Name} duplicates value on record with id: {clash.Id}", [unique.Name]);
            }
        }

        if (_options.DuplicateRulesEnabled && !allowDuplicates && objectType is "Lead" or "Contact" && !string.IsNullOrEmpty(email))
        {
            var normalized = email.Trim().ToLowerInvariant();
            var duplicate = _records[objectType].Values.FirstOrDefault(r => r.Id != existing?.Id && Text(r.Fields.GetValueOrDefault("Email")) == normalized);
            if (duplicate is not null)
            {
                return new SaveError("DUPLICATES_DETECTED", "Use one of these records?", [], DuplicateResult(version, duplicate));
            }
        }

        return null;
    }

    private static JsonObject DuplicateResult(string version, StoredRecord duplicate) =>
        new()
        {
            ["allowSave"] = false,
            ["duplicateRule"] = $"Standard_{duplicate.ObjectType}_Duplicate_Rule",
            ["duplicateRuleEntityType"] = duplicate.ObjectType,
            ["errorMessage"] = "Use one of these records?",
            ["matchResults"] = new JsonArray(new JsonObject
            {
                ["entityType"] = duplicate.ObjectType,
                ["errors"] = new JsonArray(),
                ["matchEngine"] = "FuzzyMatchEngine",
                ["matchRecords"] = new JsonArray(new JsonObject
                {
                    ["additionalInformation"] = new JsonArray(),
                    ["fieldDiffs"] = new JsonArray(),
                    ["matchConfidence"] = 100.0,
                    ["record"] = new JsonObject
                    {
                        ["attributes"] = new JsonObject { ["type"] = duplicate.ObjectType, ["url"] = $"/services/data/v{version}/sobjects/{duplicate.ObjectType}/{duplicate.Id}" },
                        ["Id"] = duplicate.Id,
                    },
                }),
                ["rule"] = $"Standard_{duplicate.ObjectType}_Match_Rule_v1_1",
                ["size"] = 1,
                ["success"] = true,
            }),
        };

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static string RecordUrl(string version, StoredRecord record) => $"/services/data/v{version}/sobjects/{record.ObjectType}/{record.Id}";

    private JsonObject RecordJson(string version, StoredRecord record, IReadOnlyList<string>? selected)
    {
        var json = new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = record.ObjectType, ["url"] = RecordUrl(version, record) },
        };
        var fields = selected?.Select(f => ResolveField(record.ObjectType, f)!)
            ?? SystemFields.Concat(WritableFieldsOf(record.ObjectType)).Concat(ComputedFields[record.ObjectType]).Concat(CustomFieldsOf(record.ObjectType));
        foreach (var field in fields.Distinct(StringComparer.Ordinal))
        {
            json[field] = FieldValue(record, field);
        }

        return json;
    }

    private JsonNode? FieldValue(StoredRecord record, string field) => field switch
    {
        "Id" => record.Id,
        "IsDeleted" => false,
        "CreatedDate" => FormatDate(record.CreatedAt),
        "LastModifiedDate" or "SystemModstamp" => FormatDate(record.UpdatedAt),
        "CreatedById" or "LastModifiedById" => _options.Users.FirstOrDefault(u => u.IsActive)?.Id,
        _ => record.Fields.GetValueOrDefault(field)?.DeepClone(),
    };

    private static JsonObject UserJson(string version, SalesforceSimulatorUser user, IReadOnlyList<string>? selected)
    {
        var json = new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = "User", ["url"] = $"/services/data/v{version}/sobjects/User/{user.Id}" },
        };
        foreach (var field in selected ?? UserFields)
        {
            json[field] = field switch
            {
                "Id" => user.Id,
                "Name" => $"{user.FirstName} {user.LastName}",
                "FirstName" => user.FirstName,
                "LastName" => user.LastName,
                "Email" => user.Email,
                "Username" => user.Email,
                "IsActive" => user.IsActive,
                "ProfileId" => user.ProfileId,
                _ => null,
            };
        }

        return json;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    /// <summary>A save error; REST bodies use <c>errorCode</c>, collection items use <c>statusCode</c>.</summary>
    private sealed record SaveError(string Code, string Message, IReadOnlyList<string> Fields, JsonObject? Duplicate = null)
    {
        public JsonObject ToRestJson()
        {
            var json = new JsonObject();
            if (Duplicate is not null)
            {
                json["duplicateResult"] = Duplicate.DeepClone();
            }

            json["message"] = Message;
            json["errorCode"] = Code;
            json["fields"] = new JsonArray(Fields.Select(f => (JsonNode?)f).ToArray());
            return json;
        }

        public JsonObject ToItemJson()
        {
            var json = new JsonObject();
            if (Duplicate is not null)
            {
                json["duplicateResult"] = Duplicate.DeepClone();
            }

            json["statusCode"] = Code;
            json["message"] = Message;
            json["fields"] = new JsonArray(Fields.Select(f => (JsonNode?)f).ToArray());
            return json;
        }
    }

    private sealed class StoredRecord(string id, string objectType, long sequence, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string ObjectType { get; } = objectType;

        public long Sequence { get; } = sequence;

        public Dictionary<string, JsonNode?> Fields { get; private init; } = new(StringComparer.Ordinal);

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public StoredRecord WithCreatedAt(DateTimeOffset createdAt) =>
            new(Id, ObjectType, Sequence, createdAt)
            {
                UpdatedAt = UpdatedAt,
                Fields = Fields,
            };

        public StoredRecord Clone() =>
            new(Id, ObjectType, Sequence, CreatedAt)
            {
                UpdatedAt = UpdatedAt,
                Fields = Fields.ToDictionary(f => f.Key, f => f.Value?.DeepClone(), StringComparer.Ordinal),
            };

        public SalesforceSimulatedRecord Snapshot()
        {
            var properties = Fields.ToDictionary(f => f.Key, f => Text(f.Value), StringComparer.Ordinal);
            properties["Id"] = Id;
            return new SalesforceSimulatedRecord(Id, ObjectType, properties, CreatedAt, UpdatedAt);
        }
    }
}
