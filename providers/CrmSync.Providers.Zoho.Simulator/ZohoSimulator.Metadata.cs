using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

public sealed partial class ZohoSimulator
{
    private IReadOnlyList<FieldInfo> FieldMetadata(string module)
    {
        var common = new List<FieldInfo> { new("id", "Record Id", "bigint", false, false) };
        switch (module)
        {
            case "Leads":
            case "Contacts":
                common.AddRange(
                [
                    new("Owner", module == "Leads" ? "Lead Owner" : "Contact Owner", "ownerlookup", false, false),
                    new("First_Name", "First Name", "text", false, false) { Length = 40 },
                    new("Last_Name", "Last Name", "text", true, false) { Length = 80 },
                    new("Email", "Email", "email", false, false),
                    new("Secondary_Email", "Secondary Email", "email", false, false),
                    new("Phone", "Phone", "phone", false, false),
                    new("Mobile", "Mobile", "phone", false, false),
                    new(module == "Leads" ? "Designation" : "Title", "Title", "text", false, false) { Length = 100 },
                    new("Description", "Description", "textarea", false, false),
                    new("Lead_Source", "Lead Source", "picklist", false, false),
                ]);
                if (module == "Contacts")
                {
                    common.Add(new("Account_Name", "Account Name", "lookup", false, false));
                }

                if (module == "Leads")
                {
                    common.Add(new("Company", "Company", "text", false, false));
                    common.Add(new("Lead_Status", "Lead Status", "picklist", false, false));
                }

                break;
            case "Deals":
                common.AddRange(
                [
                    new("Owner", "Deal Owner", "ownerlookup", false, false),
                    new("Deal_Name", "Deal Name", "text", true, false),
                    new("Stage", "Stage", "picklist", true, false),
                    new("Account_Name", "Account Name", "lookup", false, false),
                    new("Contact_Name", "Contact Name", "lookup", false, false),
                    new("Amount", "Amount", "currency", false, false),
                    new("Closing_Date", "Closing Date", "date", false, false),
                    new("Lead_Source", "Lead Source", "picklist", false, false),
                    new("Reason_For_Loss__s", "Reason For Loss", "picklist", false, false),
                    new("Description", "Description", "textarea", false, false),
                ]);
                break;
            case "Accounts":
                common.AddRange(
                [
                    new("Owner", "Account Owner", "ownerlookup", false, false),
                    new("Account_Name", "Account Name", "text", true, false),
                    new("Website", "Website", "website", false, false),
                    new("Phone", "Phone", "phone", false, false),
                    new("Industry", "Industry", "picklist", false, false),
                ]);
                break;
            case "Notes":
                common.AddRange(
                [
                    new("Note_Title", "Note Title", "text", false, false),
                    new("Note_Content", "Note Content", "textarea", true, false),
                    new("Parent_Id", "Parent ID", "lookup", true, false),
                ]);
                break;
            case "Calls":
                common.AddRange(
                [
                    new("Owner", "Call Owner", "ownerlookup", false, false),
                    new("Subject", "Subject", "text", true, false),
                    new("Call_Type", "Call Type", "picklist", true, false),
                    new("Call_Start_Time", "Call Start Time", "datetime", true, false),
                    new("Call_Duration", "Call Duration", "text", false, false),
                    new("Who_Id", "Contact Name", "lookup", false, false),
                    new("What_Id", "Related To", "lookup", false, false),
                    new("Description", "Description", "textarea", false, false),
                ]);
                break;
            default:
                common.AddRange(
                [
                    new("Owner", "Host", "ownerlookup", false, false),
                    new("Event_Title", "Title", "text", true, false),
                    new("Start_DateTime", "From", "datetime", true, false),
                    new("End_DateTime", "To", "datetime", true, false),
                    new("Who_Id", "Contact Name", "lookup", false, false),
                    new("What_Id", "Related To", "lookup", false, false),
                    new("Participants", "Participants", "multiselectlookup", false, false),
                    new("Description", "Description", "textarea", false, false),
                ]);
                break;
        }

        common.AddRange(_addedFields.Where(f => f.Module == module).Select(f => new FieldInfo(f.ApiName, f.Label, f.DataType, false, f.Unique) { Length = f.Length, Custom = true, Id = f.Id }));
        common.AddRange(
        [
            new("Created_By", "Created By", "ownerlookup", false, false),
            new("Modified_By", "Modified By", "ownerlookup", false, false),
            new("Created_Time", "Created Time", "datetime", false, false),
            new("Modified_Time", "Modified Time", "datetime", false, false),
        ]);
        return common;
    }

    private ResponseMessage ListFields(ApiCall call)
    {
        if (!call.Query.TryGetValue("module", out var moduleName) || string.IsNullOrEmpty(moduleName))
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param"] = "module" }, "One of the expected parameter is missing");
        }

        if (!ModuleNames.Contains(moduleName, StringComparer.OrdinalIgnoreCase))
        {
            return InvalidModule();
        }

        var module = CanonicalModule(moduleName);
        var index = 0;
        var fields = new JsonArray(FieldMetadata(module).Select(f =>
        {
            var readOnly = ReadOnlyFields.Contains(f.ApiName, StringComparer.Ordinal);
            var sequence = 0;
            var fieldId = f.Id ?? (5725767000000100000L + index).ToString(CultureInfo.InvariantCulture);
            index++;
            return (JsonNode?)new JsonObject
            {
                ["id"] = fieldId,
                ["api_name"] = f.ApiName,
                ["field_label"] = f.Label,
                ["display_label"] = f.Label,
                ["data_type"] = f.DataType,
                ["json_type"] = JsonType(f.DataType),
                ["length"] = f.Length ?? DefaultLength(f.DataType),
                ["system_mandatory"] = f.Mandatory,
                ["custom_field"] = f.Custom,
                ["visible"] = true,
                ["webhook"] = !readOnly,
                ["unique"] = f.Unique ? new JsonObject { ["casesensitive"] = "false" } : new JsonObject(),
                ["read_only"] = readOnly,
                ["field_read_only"] = readOnly,
                ["operation_type"] = new JsonObject
                {
                    ["web_update"] = !readOnly,
                    ["api_create"] = !readOnly,
                    ["web_create"] = !readOnly,
                    ["api_update"] = !readOnly,
                },
                ["pick_list_values"] = new JsonArray(PicklistValues(module, f.ApiName).Select(v => (JsonNode?)new JsonObject
                {
                    ["display_value"] = v,
                    ["sequence_number"] = ++sequence,
                    ["reference_value"] = v,
                    ["colour_code"] = null,
                    ["actual_value"] = v,
                    ["id"] = (5725767000000200000L + (index * 100) + sequence).ToString(CultureInfo.InvariantCulture),
                    ["type"] = "used",
                }).ToArray()),
                ["lookup"] = f.DataType == "lookup" && LookupModule(module, f.ApiName) is { } target
                    ? new JsonObject { ["display_label"] = f.Label, ["api_name"] = f.ApiName, ["module"] = new JsonObject { ["api_name"] = target, ["id"] = null } }
                    : new JsonObject(),
            };
        }).ToArray());
        return SimulatorHttp.Json(200, new JsonObject { ["fields"] = fields });
    }

    /// <summary>The JSON type Zoho gives each data type (<c>json_type</c>).</summary>
    private static string JsonType(string dataType) => dataType switch
    {
        "ownerlookup" or "lookup" => "jsonobject",
        "multiselectlookup" or "multiselectpicklist" => "jsonarray",
        "currency" or "double" => "double",
        "integer" => "integer",
        "boolean" => "boolean",
        _ => "string",
    };

    private static int DefaultLength(string dataType) => dataType switch
    {
        "textarea" => 32000,
        "email" => 100,
        "phone" => 30,
        "bigint" or "lookup" or "ownerlookup" => 19,
        "currency" => 16,
        "date" or "datetime" => 20,
        _ => 255,
    };

    /// <summary>The picklist values of a new organization, with <c>-None-</c> first where Zoho has it.</summary>
    private static string[] PicklistValues(string module, string apiName) => (module, apiName) switch
    {
        (_, "Lead_Source") =>
        [
            "-None-", "Advertisement", "Cold Call", "Employee Referral", "External Referral", "Online Store", "X (Twitter)", "Facebook", "Partner",
            "Public Relations", "Sales Email Alias", "Seminar Partner", "Internal Seminar", "Trade Show", "Web Download", "Web Research", "Chat",
        ],
        ("Leads", "Lead_Status") => ["-None-", "Attempted to Contact", "Contact in Future", "Contacted", "Junk Lead", "Lost Lead", "Not Contacted", "Pre-Qualified", "Not Qualified"],
        ("Deals", "Stage") => ["Qualification", "Needs Analysis", "Value Proposition", "Identify Decision Makers", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost", "Closed-Lost to Competition"],
        ("Accounts", "Industry") =>
        [
            "-None-", "ASP (Application Service Provider)", "Data/Telecom OEM", "ERP (Enterprise Resource Planning)", "Government/Military", "Large Enterprise",
            "ManagementISV", "MSP (Management Service Provider)", "Network Equipment Enterprise", "Non-management ISV", "Optical Networking", "Service Provider",
            "Small/Medium Enterprise", "Storage Equipment", "Storage Service Provider", "Systems Integrator", "Wireless Industry",
        ],
        ("Calls", "Call_Type") => ["Outbound", "Inbound", "Missed"],
        _ => [],
    };

    private static string? LookupModule(string module, string apiName) => (module, apiName) switch
    {
        (_, "Account_Name") => "Accounts",
        (_, "Contact_Name") or (_, "Who_Id") => "Contacts",
        _ => null,
    };

    private ResponseMessage ListUsers(ApiCall call)
    {
        var type = call.Query.TryGetValue("type", out var t) ? t : "AllUsers";
        IEnumerable<Row> users = type switch
        {
            "AllUsers" => _users.Values,
            "ActiveUsers" => _users.Values.Where(u => u.Data["status"]!.GetValue<string>() == "active"),
            "DeactiveUsers" => _users.Values.Where(u => u.Data["status"]!.GetValue<string>() != "active"),
            "AdminUsers" => _users.Values.Where(u => u.Data["profile"]!["name"]!.GetValue<string>() == "Administrator"),
            "ActiveConfirmedAdmins" => _users.Values.Where(u => u.Data["status"]!.GetValue<string>() == "active" && u.Data["profile"]!["name"]!.GetValue<string>() == "Administrator"),
            "CurrentUser" => _users.Values.Where(u => u.Id == call.UserId),
            _ => null!,
        };
        if (users is null)
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["param"] = "type" }, "invalid data");
        }

        var list = users.ToList();
        var page = call.Query.TryGetValue("page", out var pageText) && int.TryParse(pageText, CultureInfo.InvariantCulture, out var p) ? Math.Max(1, p) : 1;
        var perPage = call.Query.TryGetValue("per_page", out var perPageText) && int.TryParse(perPageText, CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 200) : 200;
        var slice = list.Skip((page - 1) * perPage).Take(perPage).ToList();
        if (slice.Count == 0)
        {
            return SimulatorHttp.Empty(204);
        }

        return SimulatorHttp.Json(200, new JsonObject
        {
            ["users"] = new JsonArray(slice.Select(u => (JsonNode?)u.Data.DeepClone()).ToArray()),
            ["info"] = new JsonObject
            {
                ["per_page"] = perPage,
                ["count"] = slice.Count,
                ["page"] = page,
                ["more_records"] = page * perPage < list.Count,
            },
        });
    }

    private sealed record FieldInfo(string ApiName, string Label, string DataType, bool Mandatory, bool Unique)
    {
        /// <summary>Gets the maximum length where it differs from the data type's default.</summary>
        public int? Length { get; init; }

        /// <summary>Gets whether an admin or a client added the field (<c>custom_field</c>).</summary>
        public bool Custom { get; init; }

        /// <summary>Gets the field id of a custom field; system fields get one from their position.</summary>
        public string? Id { get; init; }
    }
}
