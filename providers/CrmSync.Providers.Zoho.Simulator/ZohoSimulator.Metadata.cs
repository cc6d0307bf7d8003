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
                    new("First_Name", "First Name", "text", false, false),
                    new("Last_Name", "Last Name", "text", true, false),
                    new("Email", "Email", "email", false, false),
                    new("Secondary_Email", "Secondary Email", "email", false, false),
                    new("Phone", "Phone", "phone", false, false),
                    new("Mobile", "Mobile", "phone", false, false),
                    new(module == "Leads" ? "Designation" : "Title", "Title", "text", false, false),
                    new("Description", "Description", "textarea", false, false),
                    new("Lead_Source", "Lead Source", "picklist", false, false),
                    new(_options.ExternalIdField, "External Id", "text", false, true),
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

        common.AddRange(
        [
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
        var fields = new JsonArray(FieldMetadata(module).Select(f => (JsonNode?)new JsonObject
        {
            ["id"] = (5725767000000100000L + (index++)).ToString(CultureInfo.InvariantCulture),
            ["api_name"] = f.ApiName,
            ["field_label"] = f.Label,
            ["display_label"] = f.Label,
            ["data_type"] = f.DataType,
            ["system_mandatory"] = f.Mandatory,
            ["custom_field"] = f.ApiName == _options.ExternalIdField,
            ["unique"] = f.Unique ? new JsonObject { ["casesensitive"] = "false" } : new JsonObject(),
            ["read_only"] = f.ApiName is "id" or "Created_Time" or "Modified_Time",
        }).ToArray());
        return SimulatorHttp.Json(200, new JsonObject { ["fields"] = fields });
    }

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

    private sealed record FieldInfo(string ApiName, string Label, string DataType, bool Mandatory, bool Unique);
}
