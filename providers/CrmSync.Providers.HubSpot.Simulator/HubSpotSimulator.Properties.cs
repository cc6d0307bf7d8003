using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    private const int MaxUniquePropertiesPerObject = 10;

    /// <summary>The objects HubSpot documents unique-value properties for (custom objects too); engagements are not among them.</summary>
    private static readonly string[] UniqueValueObjects = ["contacts", "companies", "deals", "tickets"];

    private static readonly string[] PropertyTypes = ["string", "number", "date", "datetime", "enumeration", "bool", "phone_number"];
    private static readonly string[] FieldTypes = ["text", "textarea", "number", "select", "radio", "checkbox", "booleancheckbox", "date", "file", "html", "phonenumber", "calculation_equation"];

    private SimulatorResponse ListProperties(string objectType) =>
        SimulatorResponse.Json(200, new JsonObject
        {
            ["results"] = new JsonArray(_properties[objectType].Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (JsonNode?)PropertyJson(p)).ToArray()),
        });

    private SimulatorResponse GetProperty(string objectType, string name) =>
        _properties[objectType].TryGetValue(name, out var property)
            ? SimulatorResponse.Json(200, PropertyJson(property))
            : Error(404, $"Unable to find property {name} on object type {objectType}", "OBJECT_NOT_FOUND");

    private SimulatorResponse CreateProperty(string objectType, SimulatorRequest request)
    {
        var body = request.JsonBody();
        if (body is null)
        {
            return InvalidJson("PropertyCreate", "name, label, type, fieldType, groupName");
        }

        string[] required = ["name", "label", "type", "fieldType", "groupName"];
        var missing = required.Where(r => string.IsNullOrWhiteSpace(body[r]?.ToString())).ToList();
        if (missing.Count > 0)
        {
            return InvalidJson("PropertyCreate", string.Join(", ", missing));
        }

        var name = body["name"]!.ToString();
        if (!IsValidPropertyName(name))
        {
            return Error(400, $"Property name {name} is invalid: use lowercase letters, digits and underscores, starting with a letter.", "VALIDATION_ERROR");
        }

        var type = body["type"]!.ToString();
        var fieldType = body["fieldType"]!.ToString();
        if (!PropertyTypes.Contains(type) || !FieldTypes.Contains(fieldType))
        {
            return Error(400, $"Invalid type {type} or fieldType {fieldType}.", "VALIDATION_ERROR");
        }

        if (_properties[objectType].ContainsKey(name))
        {
            return Error(409, $"Property named '{name}' already exists.", "OBJECT_ALREADY_EXISTS");
        }

        var unique = body["hasUniqueValue"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        if (unique && !UniqueValueObjects.Contains(objectType))
        {
            // HubSpot documents unique-value properties for contacts, companies, deals, tickets and custom objects only.
            return Error(400, $"Properties of {objectType} cannot require unique values (hasUniqueValue). Unique value properties are available for contacts, companies, deals, tickets and custom objects.", "VALIDATION_ERROR");
        }

        if (unique && _properties[objectType].Values.Count(p => p.Custom && p.HasUniqueValue) >= MaxUniquePropertiesPerObject)
        {
            return Error(400, $"An object can have at most {MaxUniquePropertiesPerObject} unique value properties.", "VALIDATION_ERROR");
        }

        var options = (body["options"] as JsonArray)?.Select(o => o?["value"]?.ToString()).OfType<string>().ToList();
        var property = new PropertyDefinition(
            name,
            body["label"]!.ToString(),
            type,
            fieldType,
            body["groupName"]!.ToString(),
            unique,
            ReadOnly: false,
            Custom: true,
            type == "enumeration" ? options ?? [] : null,
            _time.GetUtcNow());
        _properties[objectType][name] = property;
        return SimulatorResponse.Json(201, PropertyJson(property));
    }

    /// <summary><c>DELETE /crm/v3/properties/{objectType}/{propertyName}</c>: archives a custom property (204); HubSpot's own properties cannot be archived.</summary>
    private SimulatorResponse ArchivePropertyRequest(string objectType, string name)
    {
        if (!_properties[objectType].TryGetValue(name, out var property))
        {
            return Error(404, $"Unable to find property {name} on object type {objectType}", "OBJECT_NOT_FOUND");
        }

        if (!property.Custom)
        {
            return Error(400, $"Property {name} is a HubSpot-defined property and cannot be archived.", "VALIDATION_ERROR");
        }

        _properties[objectType].Remove(name);
        return SimulatorResponse.Empty(204);
    }

    private static bool IsValidPropertyName(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static JsonObject PropertyJson(PropertyDefinition property)
    {
        var json = new JsonObject
        {
            ["name"] = property.Name,
            ["label"] = property.Label,
            ["type"] = property.Type,
            ["fieldType"] = property.FieldType,
            ["description"] = string.Empty,
            ["groupName"] = property.GroupName,
            ["options"] = new JsonArray((property.Options ?? []).Select((o, i) => (JsonNode?)new JsonObject
            {
                ["label"] = o,
                ["value"] = o,
                ["displayOrder"] = i,
                ["hidden"] = false,
            }).ToArray()),
            ["displayOrder"] = -1,
            ["calculated"] = false,
            ["externalOptions"] = false,
            ["hasUniqueValue"] = property.HasUniqueValue,
            ["hidden"] = false,
            ["formField"] = false,
            ["createdAt"] = FormatTimestamp(property.CreatedAt),
            ["updatedAt"] = FormatTimestamp(property.CreatedAt),
            ["archived"] = false,
            ["modificationMetadata"] = new JsonObject
            {
                ["archivable"] = property.Custom,
                ["readOnlyDefinition"] = !property.Custom,
                ["readOnlyValue"] = property.ReadOnly,
            },
        };

        // HubSpot marks its own properties; a custom property has no hubspotDefined field at all.
        if (!property.Custom)
        {
            json["hubspotDefined"] = true;
        }

        return json;
    }

    private SimulatorResponse ListOwners(SimulatorRequest request)
    {
        var limit = ParseInt(request.Query["limit"], 100);
        if (limit is < 1 or > 500)
        {
            return Error(400, "limit must be between 1 and 500", "VALIDATION_ERROR");
        }

        var offset = ParseInt(request.Query["after"], 0);
        var archived = string.Equals(request.Query["archived"], "true", StringComparison.OrdinalIgnoreCase);
        var email = request.Query["email"];
        var owners = _options.Owners
            .Where(o => o.Archived == archived)
            .Where(o => string.IsNullOrEmpty(email) || string.Equals(o.Email, email, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var body = new JsonObject
        {
            ["results"] = new JsonArray(owners.Skip(offset).Take(limit).Select(o => (JsonNode?)OwnerJson(o)).ToArray()),
        };
        if (offset + limit < owners.Count)
        {
            body["paging"] = NextPage(offset + limit, $"{BaseUrl.ToString().TrimEnd('/')}{request.Path}?after={offset + limit}");
        }

        return SimulatorResponse.Json(200, body);
    }

    private SimulatorResponse GetOwner(string ownerId, SimulatorRequest request)
    {
        var byUserId = string.Equals(request.Query["idProperty"], "userId", StringComparison.Ordinal);
        var owner = _options.Owners.FirstOrDefault(o => byUserId ? o.UserId.ToString(CultureInfo.InvariantCulture) == ownerId : o.Id == ownerId);
        return owner is null ? NotFound() : SimulatorResponse.Json(200, OwnerJson(owner));
    }

    private JsonObject OwnerJson(HubSpotSimulatorOwner owner) =>
        new()
        {
            ["id"] = owner.Id,
            ["email"] = owner.Email,
            ["firstName"] = owner.FirstName,
            ["lastName"] = owner.LastName,
            ["userId"] = owner.UserId,
            ["userIdIncludingInactive"] = owner.UserId,
            ["type"] = "PERSON",
            ["teams"] = new JsonArray(),
            ["createdAt"] = FormatTimestamp(_ownersCreatedAt),
            ["updatedAt"] = FormatTimestamp(_ownersCreatedAt),
            ["archived"] = owner.Archived,
        };
}
