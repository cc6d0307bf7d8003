using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>
/// Custom fields and field-level security: the Tooling API's <c>POST /tooling/sobjects/CustomField</c>, the REST API's
/// <c>POST /sobjects/FieldPermissions</c>, and the profile-owned permission sets (<c>PermissionSet</c>, queryable) they refer to.
/// A field created through the Tooling API is visible to nobody until a <c>FieldPermissions</c> record grants it: until then
/// describe does not list it, SOQL and writes answer <c>INVALID_FIELD</c> ("No such column") and an upsert by it answers
/// 404 <c>NOT_FOUND</c>, as Salesforce does for an API user without field-level security.
/// </content>
public sealed partial class SalesforceSimulator
{
    /// <summary>The profile every simulated user has unless it says otherwise (System Administrator).</summary>
    internal const string DefaultProfileId = "00eSIM000000001AAA";

    private const int MaxTextLength = 255;

    private static readonly string[] PermissionSetFields = ["Id", "Name", "Label", "IsOwnedByProfile", "ProfileId"];

    /// <summary>The custom fields of Lead and Contact: seeded from the options, added by an admin, or created through the Tooling API.</summary>
    private readonly Dictionary<string, List<CustomFieldDefinition>> _customFields = new(StringComparer.Ordinal) { ["Lead"] = [], ["Contact"] = [] };

    /// <summary>Field permissions granted through <c>FieldPermissions</c>: (permission set id, <c>Object.Field</c>) → record.</summary>
    private readonly Dictionary<(string ParentId, string Field), FieldPermission> _fieldPermissions = [];

    private bool _canCustomizeApplication;
    private int _toolingRequestCount;
    private long _metadataSequence;

    /// <summary>Gets how many requests the simulator received under <c>/services/data/vNN.N/tooling/</c> since start or the last <see cref="Reset"/>.</summary>
    public int ToolingRequestCount
    {
        get
        {
            lock (_gate)
            {
                return _toolingRequestCount;
            }
        }
    }

    /// <summary>
    /// Sets whether the connected user may change the org's setup: with <see langword="false"/>, the user lacks "Customize
    /// Application" (and "Manage Profiles and Permission Sets"), so creating a custom field through the Tooling API and
    /// creating <c>FieldPermissions</c> are refused with 403 <c>INSUFFICIENT_ACCESS_OR_READONLY</c>.
    /// </summary>
    /// <param name="allowed"><see langword="true"/> for an administrator, <see langword="false"/> for a user without the permission.</param>
    public void SetCanCustomizeApplication(bool allowed)
    {
        lock (_gate)
        {
            _canCustomizeApplication = allowed;
        }
    }

    /// <summary>
    /// Adds the External ID field (<see cref="SalesforceSimulatorOptions.ExternalIdField"/>: Text(255), External ID, Unique,
    /// case-insensitive) to Lead or Contact as an admin would in Object Manager, visible and editable for the connected
    /// user. When the field was created through the Tooling API but is still invisible, this grants its field-level security.
    /// </summary>
    /// <param name="objectType"><c>Lead</c> or <c>Contact</c>.</param>
    /// <exception cref="ArgumentException">The object is not Lead or Contact, or the field is already visible.</exception>
    public void AddExternalIdField(string objectType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        lock (_gate)
        {
            if (!_customFields.TryGetValue(objectType, out var fields))
            {
                throw new ArgumentException($"Cannot add the external-id field to {objectType}: only Lead and Contact.", nameof(objectType));
            }

            var existing = fields.FirstOrDefault(f => string.Equals(f.Name, _options.ExternalIdField, StringComparison.OrdinalIgnoreCase));
            if (existing is { AdminVisible: true } || (existing is not null && IsGranted(objectType, existing)))
            {
                throw new ArgumentException($"{objectType} already has the field {_options.ExternalIdField}.", nameof(objectType));
            }

            if (existing is not null)
            {
                existing.AdminVisible = true;
                return;
            }

            fields.Add(ExternalIdDefinition());
        }
    }

    private CustomFieldDefinition ExternalIdDefinition() =>
        new(_options.ExternalIdField, "CrmSync External Id", MaxTextLength, ExternalId: true, Unique: true, NewMetadataId("00N")) { AdminVisible = true };

    private void ResetMetadata()
    {
        _canCustomizeApplication = _options.CanCustomizeApplication;
        _toolingRequestCount = 0;
        _fieldPermissions.Clear();
        foreach (var (objectType, fields) in _customFields)
        {
            fields.Clear();
            if (_options.ExternalIdFieldExists)
            {
                fields.Add(ExternalIdDefinition());
            }

            foreach (var name in _options.CustomFields.Where(n => !fields.Any(f => string.Equals(f.Name, n, StringComparison.OrdinalIgnoreCase))))
            {
                fields.Add(new CustomFieldDefinition(name, CustomLabel(name), MaxTextLength, ExternalId: false, Unique: false, NewMetadataId("00N")) { AdminVisible = true });
            }
        }
    }

    private string NewMetadataId(string prefix) => NewId(prefix, 900_000_000 + ++_metadataSequence);

    /// <summary>The user every session acts as: the first active user (who authorized the app).</summary>
    private SalesforceSimulatorUser? SessionUser => _options.Users.FirstOrDefault(u => u.IsActive);

    /// <summary>The permission set owned by each profile of the org's users, in order of first use.</summary>
    private List<(string Id, string ProfileId)> ProfilePermissionSets() =>
        _options.Users.Select(u => u.ProfileId).Distinct(StringComparer.Ordinal)
            .Select((profile, i) => ($"0PSSIM{(i + 1).ToString("D9", CultureInfo.InvariantCulture)}AAA", profile))
            .ToList();

    /// <summary>Whether the session user's profile-owned permission set (or a grant an admin made) lets the user see the field.</summary>
    private bool IsGranted(string objectType, CustomFieldDefinition field) => PermissionOf(objectType, field) is { Read: true };

    private FieldPermission? PermissionOf(string objectType, CustomFieldDefinition field)
    {
        var profile = SessionUser?.ProfileId;
        var permissionSet = ProfilePermissionSets().FirstOrDefault(p => p.ProfileId == profile).Id;
        return permissionSet is null ? null : _fieldPermissions.GetValueOrDefault((permissionSet, $"{objectType}.{field.Name}"));
    }

    private bool IsVisible(string objectType, CustomFieldDefinition field) => field.AdminVisible || IsGranted(objectType, field);

    private bool IsEditable(string objectType, CustomFieldDefinition field) => field.AdminVisible || PermissionOf(objectType, field) is { Read: true, Edit: true };

    /// <summary>The custom fields of the object the connected user can see.</summary>
    private IEnumerable<CustomFieldDefinition> VisibleCustomFields(string objectType) =>
        _customFields.TryGetValue(objectType, out var fields) ? fields.Where(f => IsVisible(objectType, f)) : [];

    private CustomFieldDefinition? VisibleCustomField(string objectType, string name) =>
        VisibleCustomFields(objectType).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A visible custom field the user may read but not edit (read-only field-level security).</summary>
    private bool IsReadOnlyCustomField(string objectType, string name) =>
        VisibleCustomField(objectType, name) is { } field && !IsEditable(objectType, field);

    /// <summary><c>POST /services/data/vNN.N/tooling/sobjects/CustomField</c>: creates a Text custom field on Lead or Contact, invisible until granted.</summary>
    private SimulatorResponse CreateCustomField(SimulatorRequest request)
    {
        if (!_canCustomizeApplication)
        {
            return InsufficientAccess();
        }

        if (request.JsonBody() is not { } body)
        {
            return MalformedJson();
        }

        var fullName = body["FullName"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
        if (string.IsNullOrEmpty(fullName))
        {
            return RestError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [FullName]", ["FullName"]);
        }

        var match = CustomFieldFullName().Match(fullName);
        if (!match.Success)
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", $"FullName '{fullName}' must be Object.Field__c. The Field Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.", ["FullName"]);
        }

        var objectType = NormalizeObjectType(match.Groups["object"].Value);
        if (objectType is null || !_customFields.TryGetValue(objectType, out var fields))
        {
            return RestError(400, "INVALID_TYPE", $"sObject type '{match.Groups["object"].Value}' is not supported.", ["FullName"]);
        }

        if (body["Metadata"] is not JsonObject metadata)
        {
            return RestError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Metadata]", ["Metadata"]);
        }

        var label = metadata["label"] is JsonValue l && l.GetValueKind() == JsonValueKind.String ? l.GetValue<string>().Trim() : null;
        if (string.IsNullOrEmpty(label) || label.Length > 40)
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", "Field Label: a label of 1 to 40 characters is required.", ["label"]);
        }

        var type = metadata["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (type != "Text")
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", $"Field type '{type}' is not supported here: the simulator creates Text fields only.", ["type"]);
        }

        if (metadata["length"] is not JsonValue lengthValue || lengthValue.GetValueKind() != JsonValueKind.Number || !lengthValue.TryGetValue<int>(out var length) || length is < 1 or > MaxTextLength)
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", $"Length: a Text field needs a length from 1 to {MaxTextLength}.", ["length"]);
        }

        var name = match.Groups["name"].Value;
        var taken = fields.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
            || ResolveField(objectType, name) is not null;
        if (taken)
        {
            return RestError(400, "DUPLICATE_DEVELOPER_NAME", $"There is already a field named {name[..^3]} on {objectType}.", ["FullName"]);
        }

        var field = new CustomFieldDefinition(name, label, length, Flag(metadata, "externalId"), Flag(metadata, "unique"), NewMetadataId("00N"));
        fields.Add(field);
        return SimulatorResponse.Json(201, new JsonObject { ["id"] = field.Id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    /// <summary><c>POST /services/data/vNN.N/sobjects/FieldPermissions</c>: grants read (and edit) on a field to a permission set.</summary>
    private SimulatorResponse CreateFieldPermissions(SimulatorRequest request)
    {
        if (!_canCustomizeApplication)
        {
            return InsufficientAccess();
        }

        if (request.JsonBody() is not { } body)
        {
            return MalformedJson();
        }

        string? Text(string name) => body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var parentId = Text("ParentId");
        var sobjectType = Text("SobjectType");
        var fieldName = Text("Field");
        var missing = new[] { ("ParentId", parentId), ("SobjectType", sobjectType), ("Field", fieldName) }.Where(p => string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            return RestError(400, "REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
        }

        var permissionSet = ProfilePermissionSets().FirstOrDefault(p => SameId(p.Id, parentId!)).Id;
        if (permissionSet is null)
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", $"Parent ID: id value of incorrect type: {parentId}", ["ParentId"]);
        }

        var objectType = NormalizeObjectType(sobjectType!);
        var parts = fieldName!.Split('.');
        var field = objectType is not null && _customFields.TryGetValue(objectType, out var fields) && parts.Length == 2 && string.Equals(parts[0], objectType, StringComparison.OrdinalIgnoreCase)
            ? fields.FirstOrDefault(x => string.Equals(x.Name, parts[1], StringComparison.OrdinalIgnoreCase))
            : null;
        if (objectType is null)
        {
            return RestError(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"SObject Type Name: bad value for restricted picklist field: {sobjectType}", ["SobjectType"]);
        }

        if (field is null)
        {
            return RestError(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Field Name: bad value for restricted picklist field: {fieldName}", ["Field"]);
        }

        var read = Flag(body, "PermissionsRead");
        var edit = Flag(body, "PermissionsEdit");
        if (!read)
        {
            return RestError(400, "FIELD_INTEGRITY_EXCEPTION", "Read Field: a field permission must at least grant Read (Edit requires Read).", ["PermissionsRead"]);
        }

        var key = (permissionSet, $"{objectType}.{field.Name}");
        if (_fieldPermissions.TryGetValue(key, out var existing))
        {
            return RestError(400, "DUPLICATE_VALUE", $"duplicate value found: <unknown> duplicates value on record with id: {existing.Id}");
        }

        var permission = new FieldPermission(NewMetadataId("01k"), read, edit);
        _fieldPermissions[key] = permission;
        return SimulatorResponse.Json(201, new JsonObject { ["id"] = permission.Id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    /// <summary>The answer Salesforce gives a user without the permission a setup change needs (403, "REST API status codes").</summary>
    private static SimulatorResponse InsufficientAccess() =>
        RestError(403, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id");

    /// <summary>The identity of the session user, as the REST resource list's <c>identity</c> URL: <c>{login}/id/{orgId}/{userId}</c>.</summary>
    private string IdentityUrl() => $"{BaseUrl.ToString().TrimEnd('/')}/id/{OrgId}/{SessionUser?.Id ?? "005SIM000000001AAA"}";

    /// <summary><c>GET /services/data/vNN.N/</c>: the resources of the version, with the session user's <c>identity</c> URL.</summary>
    private SimulatorResponse Resources(string version)
    {
        var root = $"/services/data/v{version}";
        return SimulatorResponse.Json(200, new JsonObject
        {
            ["tooling"] = $"{root}/tooling",
            ["query"] = $"{root}/query",
            ["sobjects"] = $"{root}/sobjects",
            ["limits"] = $"{root}/limits",
            ["composite"] = $"{root}/composite",
            ["identity"] = IdentityUrl(),
        });
    }

    private Dictionary<string, string?> PermissionSetValues((string Id, string ProfileId) set) =>
        new(StringComparer.Ordinal)
        {
            ["Id"] = set.Id,
            ["Name"] = "X" + set.ProfileId[..15],
            ["Label"] = "Profile permission set " + set.ProfileId[..15],
            ["IsOwnedByProfile"] = "true",
            ["ProfileId"] = set.ProfileId,
        };

    private JsonObject PermissionSetJson(string version, (string Id, string ProfileId) set, IReadOnlyList<string>? selected)
    {
        var values = PermissionSetValues(set);
        var json = new JsonObject { ["attributes"] = new JsonObject { ["type"] = "PermissionSet", ["url"] = $"/services/data/v{version}/sobjects/PermissionSet/{set.Id}" } };
        foreach (var field in selected ?? PermissionSetFields)
        {
            json[field] = field == "IsOwnedByProfile" ? true : values[field];
        }

        return json;
    }

    private static bool Flag(JsonObject body, string name) => body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    [GeneratedRegex(@"^(?<object>[A-Za-z][A-Za-z0-9_]*)\.(?<name>[A-Za-z](?:(?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9])?__c)$")]
    private static partial Regex CustomFieldFullName();

    /// <summary>A custom field of Lead or Contact.</summary>
    private sealed record CustomFieldDefinition(string Name, string Label, int Length, bool ExternalId, bool Unique, string Id)
    {
        /// <summary>Gets or sets a value indicating whether an admin made the field visible and editable to everyone (Object Manager, or the options).</summary>
        public bool AdminVisible { get; set; }
    }

    private sealed record FieldPermission(string Id, bool Read, bool Edit);
}
