using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>
/// <c>GET /sobjects/{Object}/describe</c>: each field with the properties of Salesforce's <c>DescribeFieldResult</c> that
/// integrations read (name, label, type, length, precision/scale/digits, nillable, defaultedOnCreate, createable,
/// updateable, filterable, sortable, custom, calculated, externalId, unique, idLookup, nameField, picklistValues,
/// restrictedPicklist, referenceTo, relationshipName), with the labels, types, lengths and standard picklist values of a
/// new org.
/// </content>
public sealed partial class SalesforceSimulator
{
    private static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    private static readonly string[] Industries =
    [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction", "Consulting", "Education",
        "Electronics", "Energy", "Engineering", "Entertainment", "Environmental", "Finance", "Food & Beverage", "Government", "Healthcare",
        "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
        "Telecommunications", "Transportation", "Utilities", "Other",
    ];

    /// <summary>Answers the describe call with the object's fields as this org has them, in Salesforce's order (system fields first).</summary>
    private SimulatorResponse Describe(string objectType)
    {
        var fields = new JsonArray();
        foreach (var field in SystemFields.Concat(WritableFieldsOf(objectType)).Concat(ComputedFields[objectType]).Concat(CustomFieldsOf(objectType)).Distinct(StringComparer.Ordinal))
        {
            var writable = !SystemFields.Contains(field) && !ComputedFields[objectType].Contains(field);
            var meta = DescribeField(objectType, field);
            var referenceTo = new JsonArray(meta.ReferenceTo.Select(r => (JsonNode?)r).ToArray());
            var picklist = new JsonArray(meta.Picklist.Select(v => (JsonNode?)new JsonObject
            {
                ["active"] = true,
                ["defaultValue"] = meta.DefaultPicklistValue == v,
                ["label"] = v,
                ["validFor"] = null,
                ["value"] = v,
            }).ToArray());
            var definition = VisibleCustomField(objectType, field);
            var custom = definition is not null;
            var externalId = definition?.ExternalId == true;
            writable = writable && (definition is null || IsEditable(objectType, definition));
            fields.Add(new JsonObject
            {
                ["name"] = field,
                ["label"] = meta.Label,
                ["type"] = meta.Type,
                ["length"] = meta.Length,
                ["precision"] = meta.Precision,
                ["scale"] = meta.Scale,
                ["digits"] = meta.Digits,
                ["nillable"] = meta.Nillable,
                ["defaultedOnCreate"] = meta.DefaultedOnCreate,
                ["createable"] = writable,
                ["updateable"] = writable,
                ["filterable"] = meta.Type != "textarea" || meta.Length <= 255,
                ["sortable"] = meta.Type != "textarea" || meta.Length <= 255,
                ["custom"] = custom,
                ["calculated"] = false,
                ["externalId"] = externalId,
                ["unique"] = definition?.Unique == true,
                ["idLookup"] = field == "Id" || externalId || (field == "Email" && objectType is "Contact" or "Lead"),
                ["nameField"] = field == "Name",
                ["picklistValues"] = picklist,
                ["restrictedPicklist"] = meta.Restricted,
                ["referenceTo"] = referenceTo,
                ["relationshipName"] = meta.ReferenceTo.Length == 0 || field == "Id" ? null : field[..^2],
            });
        }

        return SimulatorResponse.Json(200, new JsonObject
        {
            ["name"] = objectType,
            ["label"] = objectType,
            ["custom"] = false,
            ["createable"] = true,
            ["updateable"] = true,
            ["queryable"] = true,
            ["fields"] = fields,
        });
    }

    /// <summary>How a new org describes a field: standard labels, types and lengths from the Object Reference.</summary>
    private FieldMeta DescribeField(string objectType, string field)
    {
        static FieldMeta Text(string label, int length, bool nillable = true) => new("string", label, length, nillable, false);
        static FieldMeta Area(string label, int length) => new("textarea", label, length, true, false);
        static FieldMeta Flag(string label) => new("boolean", label, 0, false, true);
        static FieldMeta Stamp(string label) => new("datetime", label, 0, false, true);
        static FieldMeta Moment(string label) => new("datetime", label, 0, true, false);
        static FieldMeta Day(string label, bool nillable = true) => new("date", label, 0, nillable, false);
        static FieldMeta Pick(string label, string[] values, bool nillable = true, bool defaulted = false, string? defaultValue = null, bool restricted = false, int length = 255) =>
            new("picklist", label, length, nillable, defaulted) { Picklist = values, DefaultPicklistValue = defaultValue, Restricted = restricted };
        static FieldMeta Ref(string label, string[] to, bool nillable = true, bool defaulted = false) => new("reference", label, 18, nillable, defaulted) { ReferenceTo = to };
        static FieldMeta Phone(string label) => new("phone", label, 40, true, false);
        static FieldMeta Int(string label) => new("int", label, 0, true, false) { Digits = 9 };

        var activity = objectType is "Task" or "Event";
        return (objectType, field) switch
        {
            (_, "Id") => new("id", (activity ? "Activity" : objectType) + " ID", 18, false, true),
            (_, "IsDeleted") => Flag("Deleted"),
            (_, "CreatedDate") => Stamp("Created Date"),
            (_, "CreatedById") => Ref("Created By ID", ["User"], nillable: false, defaulted: true),
            (_, "LastModifiedDate") => Stamp("Last Modified Date"),
            (_, "LastModifiedById") => Ref("Last Modified By ID", ["User"], nillable: false, defaulted: true),
            (_, "SystemModstamp") => Stamp("System Modstamp"),
            (_, "OwnerId") => Ref(activity ? "Assigned To ID" : "Owner ID", activity ? ["Group", "User"] : ["User"], nillable: false, defaulted: true),
            ("Contact" or "Lead", "Name") => Text("Full Name", 121, nillable: false),
            ("Account", "Name") => Text("Account Name", 255, nillable: false),
            ("Opportunity", "Name") => Text("Name", 120, nillable: false),
            (_, "FirstName") => Text("First Name", 40),
            (_, "LastName") => Text("Last Name", 80, nillable: false),
            (_, "Salutation") => Pick("Salutation", ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."], length: 40),
            (_, "Email") => new("email", "Email", 80, true, false),
            ("Contact", "Phone") => Phone("Business Phone"),
            ("Account", "Phone") => Phone("Account Phone"),
            (_, "Phone") => Phone("Phone"),
            (_, "MobilePhone") => Phone("Mobile Phone"),
            (_, "Title") => Text("Title", 128),
            (_, "Department") => Text("Department", 80),
            (_, "AccountId") => Ref("Account ID", ["Account"]),
            (_, "MailingStreet") => Area("Mailing Street", 255),
            (_, "MailingCity") => Text("Mailing City", 40),
            (_, "MailingState") => Text("Mailing State/Province", 80),
            (_, "MailingPostalCode") => Text("Mailing Zip/Postal Code", 20),
            (_, "MailingCountry") => Text("Mailing Country", 80),
            (_, "Street") => Area("Street", 255),
            (_, "City") => Text("City", 40),
            (_, "State") => Text("State/Province", 80),
            (_, "PostalCode") => Text("Zip/Postal Code", 20),
            (_, "Country") => Text("Country", 80),
            (_, "BillingStreet") => Area("Billing Street", 255),
            (_, "BillingCity") => Text("Billing City", 40),
            (_, "BillingState") => Text("Billing State/Province", 80),
            (_, "BillingPostalCode") => Text("Billing Zip/Postal Code", 20),
            (_, "BillingCountry") => Text("Billing Country", 80),
            (_, "LeadSource") => Pick("Lead Source", LeadSources),
            (_, "AccountSource") => Pick("Account Source", LeadSources),
            ("Contact", "Description") => Area("Contact Description", 32000),
            ("Account", "Description") => Area("Account Description", 32000),
            (_, "Description") => Area("Description", 32000),
            (_, "HasOptedOutOfEmail") => Flag("Email Opt Out"),
            ("Lead", "Company") => Text("Company", 255, nillable: false),
            ("Lead", "Status") => Pick("Status", ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"], nillable: false, defaulted: true, defaultValue: "Open - Not Contacted", length: 40),
            ("Lead", "IsConverted") => Flag("Converted"),
            (_, "Website") => new("url", "Website", 255, true, false),
            (_, "Industry") => Pick("Industry", Industries, length: 40),
            ("Task", "Subject") or ("Event", "Subject") => new("combobox", "Subject", 255, true, false) { Picklist = objectType == "Task" ? ["Call", "Send Letter", "Send Quote", "Other"] : ["Call", "Email", "Meeting", "Send Letter/Quote", "Other"] },
            ("Task", "Status") => Pick("Status", ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"], nillable: false, defaulted: true, defaultValue: "Not Started", length: 40),
            ("Task", "Priority") => Pick("Priority", ["High", "Normal", "Low"], nillable: false, defaulted: true, defaultValue: "Normal", length: 40),
            ("Task", "IsClosed") => Flag("Closed"),
            (_, "WhoId") => Ref("Name ID", ["Contact", "Lead"]),
            (_, "WhatId") => Ref("Related To ID", ["Account", "Opportunity"]),
            (_, "ActivityDate") => Day("Due Date Only"),
            (_, "ActivityDateTime") => Moment("Due Date Time"),
            ("Task", "TaskSubtype") => Pick("Task Subtype", ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"], restricted: true, length: 40),
            ("Task" or "Event", "Type") => Pick("Type", ["Call", "Email", "Meeting", "Other"], length: 40),
            (_, "CallType") => Pick("Call Type", ["Internal", "Inbound", "Outbound"], restricted: true, length: 40),
            (_, "CallDurationInSeconds") => Int("Call Duration"),
            (_, "CallDisposition") => Text("Call Result", 255),
            (_, "CallObject") => Text("Call Object Identifier", 255),
            (_, "ReminderDateTime") => Moment("Reminder Date/Time"),
            (_, "IsReminderSet") => Flag("Reminder Set"),
            (_, "StartDateTime") => Moment("Start Date Time"),
            (_, "EndDateTime") => Moment("End Date Time"),
            (_, "DurationInMinutes") => Int("Duration"),
            (_, "IsAllDayEvent") => Flag("All-Day Event"),
            (_, "Location") => Text("Location", 255),
            (_, "ShowAs") => Pick("Show Time As", ["Busy", "OutOfOffice", "Free"], defaulted: true, defaultValue: "Busy", restricted: true, length: 40),
            ("Account", "Type") => Pick("Account Type", ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other"]),
            ("Opportunity", "Type") => Pick("Opportunity Type", ["Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"]),
            ("Opportunity", "StageName") => Pick("Stage", [.. _opportunityStages.Select(s => s.Name)], nillable: false, restricted: true),
            ("Opportunity", "CloseDate") => Day("Close Date", nillable: false),
            ("Opportunity", "Amount") => new("currency", "Amount", 0, true, false) { Precision = 18, Scale = 2 },
            ("Opportunity", "Probability") => new("percent", "Probability (%)", 0, true, false) { Precision = 3, Scale = 0 },
            ("Opportunity", "NextStep") => Text("Next Step", 255),
            ("Opportunity", "IsClosed") => Flag("Closed"),
            ("Opportunity", "IsWon") => Flag("Won"),
            _ when VisibleCustomField(objectType, field) is { } custom => Text(custom.Label, custom.Length),
            _ => Text(field, 255),
        };
    }

    /// <summary>The label an admin would have typed for a custom field, as Setup derives the API name from it (<c>Partner_Tier__c</c> → "Partner Tier").</summary>
    private static string CustomLabel(string apiName) => apiName[..^3].Replace('_', ' ').Trim();

    private sealed record FieldMeta(string Type, string Label, int Length, bool Nillable, bool DefaultedOnCreate)
    {
        public string[] Picklist { get; init; } = [];

        public string? DefaultPicklistValue { get; init; }

        public bool Restricted { get; init; }

        public string[] ReferenceTo { get; init; } = [];

        public int Precision { get; init; }

        public int Scale { get; init; }

        public int Digits { get; init; }
    }
}
