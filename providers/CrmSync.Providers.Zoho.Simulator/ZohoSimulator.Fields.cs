using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>
/// <c>POST /crm/v8/settings/fields?module=</c>: custom fields created through the API, as the v8 "Create Custom Fields"
/// operation documents it (scope <c>ZohoCRM.settings.fields.CREATE</c>, <c>.ALL</c> or <c>ZohoCRM.settings.ALL</c>; at most
/// 25 fields per call; per-field results; 201 when all are created, 207 when some are, 400 when none is).
/// </content>
public sealed partial class ZohoSimulator
{
    private const int MaxFieldsPerCreate = 25;

    /// <summary>The data types this simulator creates; others (picklists, lookups, formulas…) answer <c>INVALID_DATA</c> on <c>data_type</c>.</summary>
    private static readonly Dictionary<string, int> CreatableTypes = new(StringComparer.Ordinal)
    {
        ["text"] = 255,
        ["textarea"] = 32000,
        ["email"] = 100,
        ["phone"] = 30,
        ["website"] = 255,
        ["integer"] = 9,
        ["bigint"] = 18,
        ["double"] = 16,
        ["currency"] = 16,
        ["date"] = 20,
        ["datetime"] = 20,
        ["boolean"] = 5,
    };

    /// <summary>The data types that may refuse duplicate values (<c>unique</c>).</summary>
    private static readonly string[] UniqueTypes = ["text", "email", "phone", "website", "integer", "bigint", "double", "currency"];

    private ResponseMessage CreateFields(ApiCall call)
    {
        _fieldCreateRequests++;
        if (!call.Query.TryGetValue("module", out var moduleName) || string.IsNullOrEmpty(moduleName))
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param_name"] = "module" }, "One of the expected parameter is missing");
        }

        // Notes are not among the modules the operation supports.
        if (!ModuleNames.Contains(moduleName, StringComparer.OrdinalIgnoreCase) || string.Equals(moduleName, "Notes", StringComparison.OrdinalIgnoreCase))
        {
            return InvalidModule();
        }

        if (!_userCanCustomize)
        {
            // The documented answer of the field settings operations to a profile without "Customize Zoho CRM".
            return Error(403, "NO_PERMISSION", new JsonObject { ["permissions"] = new JsonArray("Crm_Implied_Customize_Zoho_CRM") }, "permission denied");
        }

        var module = CanonicalModule(moduleName);
        if (SimulatorHttp.BodyObject(call.Request)?["fields"] is not JsonArray fields || fields.Count is 0 or > MaxFieldsPerCreate)
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["api_name"] = "fields", ["json_path"] = "$.fields" }, "invalid data");
        }

        var results = new JsonArray();
        for (var i = 0; i < fields.Count; i++)
        {
            results.Add(CreateField(module, fields[i] as JsonObject, $"$.fields[{i}]"));
        }

        var created = results.Count(r => r!["status"]!.GetValue<string>() == "success");
        var status = created == results.Count ? 201 : created == 0 ? 400 : 207;
        return SimulatorHttp.Json(status, new JsonObject { ["fields"] = results });
    }

    private JsonObject CreateField(string module, JsonObject? field, string path)
    {
        JsonObject Fail(string code, string key, string message, JsonObject? extra = null)
        {
            var details = new JsonObject { ["api_name"] = key, ["json_path"] = $"{path}.{key}" };
            foreach (var (name, value) in extra ?? [])
            {
                details[name] = value?.DeepClone();
            }

            return ErrorBody(code, details, message);
        }

        if (field is null)
        {
            return ErrorBody("INVALID_DATA", new JsonObject { ["api_name"] = "fields", ["json_path"] = path }, "invalid data");
        }

        if (field["field_label"] is not JsonValue labelValue || !labelValue.TryGetValue<string>(out var label) || string.IsNullOrWhiteSpace(label))
        {
            return Fail("MANDATORY_NOT_FOUND", "field_label", "required field not found");
        }

        if (field["data_type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var dataType) || string.IsNullOrWhiteSpace(dataType))
        {
            return Fail("MANDATORY_NOT_FOUND", "data_type", "required field not found");
        }

        label = label.Trim();
        var apiName = ApiNameOf(label);
        if (label.Length > 50 || apiName.Length == 0)
        {
            return Fail("INVALID_DATA", "field_label", "invalid data");
        }

        if (!CreatableTypes.TryGetValue(dataType, out var maxLength))
        {
            return Fail("INVALID_DATA", "data_type", "invalid data");
        }

        var length = maxLength;
        if (field["length"] is { } lengthNode)
        {
            if (lengthNode is not JsonValue lv || lv.GetValueKind() != JsonValueKind.Number || !lv.TryGetValue<int>(out length) || length < 1 || length > maxLength)
            {
                return Fail("INVALID_DATA", "length", "invalid data", new JsonObject { ["range"] = new JsonObject { ["from"] = 1, ["to"] = maxLength } });
            }
        }

        var unique = false;
        if (field["unique"] is { } uniqueNode)
        {
            if (uniqueNode is not JsonObject uniqueObject
                || (uniqueObject["case_sensitive"] is { } cs && (cs is not JsonValue csv || (csv.GetValueKind() != JsonValueKind.True && csv.GetValueKind() != JsonValueKind.False))))
            {
                return Fail("INVALID_DATA", "unique", "invalid data");
            }

            if (!UniqueTypes.Contains(dataType, StringComparer.Ordinal))
            {
                return Fail("NOT_SUPPORTED", "unique", "unique is not supported for this data type");
            }

            unique = true;
        }

        if (FieldClashes(module, label, apiName))
        {
            return Fail("DUPLICATE_DATA", "field_label", "duplicate data");
        }

        var id = NewFieldId();
        _addedFields.Add(new AddedField(module, apiName, label, dataType, length, unique, id));
        return new JsonObject
        {
            ["code"] = "SUCCESS",
            ["details"] = new JsonObject { ["id"] = id },
            ["message"] = "field created",
            ["status"] = "success",
        };
    }

    /// <summary>Whether a module already has a field with this label or API name (both compared case-insensitively).</summary>
    private bool FieldClashes(string module, string label, string apiName) =>
        FieldMetadata(module).Any(f => string.Equals(f.Label, label, StringComparison.OrdinalIgnoreCase) || string.Equals(f.ApiName, apiName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The API name Zoho derives from a label: letters, digits and underscores kept, spaces become underscores, anything else dropped.</summary>
    private static string ApiNameOf(string label)
    {
        var name = new StringBuilder();
        foreach (var c in label.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                name.Append(c);
            }
            else if (char.IsWhiteSpace(c) && name.Length > 0 && name[^1] != '_')
            {
                name.Append('_');
            }
        }

        return name.ToString().Trim('_');
    }
}
