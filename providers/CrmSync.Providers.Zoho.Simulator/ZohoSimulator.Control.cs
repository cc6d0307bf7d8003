using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Zoho API credits.</content>
public sealed partial class ZohoSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("credits");

    /// <summary>Custom fields an admin (or a client through <c>POST /settings/fields</c>) added while the simulator ran.</summary>
    private readonly List<AddedField> _addedFields = [];

    private bool _userCanCustomize;
    private long _fieldCreateRequests;
    private long _nextFieldId;

    /// <inheritdoc />
    public string Provider => "zoho";

    /// <inheritdoc />
    public string DisplayName => "Zoho CRM";

    /// <inheritdoc />
    public string ContactObjectType => "Contacts";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType)
            .Select(r => new CrmSimulatorRecord(r.Id, r.Module, CrmSimulatorRecord.TextOf(r.Fields), r.CreatedAt, r.ModifiedAt))
            .ToList();

    /// <inheritdoc />
    /// <remarks>Zoho meters API credits per rolling 24 hours: most calls cost 1, writes of many records and COQL queries with a large <c>LIMIT</c> cost more; OAuth calls and refused calls cost nothing.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_lock)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _creditsUsed);
        }
    }

    /// <summary>Gets the number of <c>POST /crm/v8/settings/fields</c> requests that reached the endpoint (past the scope and limit checks), whatever their outcome.</summary>
    public long CreateFieldRequestCount
    {
        get
        {
            lock (_lock)
            {
                return _fieldCreateRequests;
            }
        }
    }

    /// <summary>Adds a custom single-line field to Contacts or Leads, as a Zoho admin would in the layout editor.</summary>
    /// <param name="module"><c>Contacts</c> or <c>Leads</c>.</param>
    /// <param name="apiName">The field's API name.</param>
    /// <param name="label">The label users see.</param>
    /// <exception cref="ArgumentException">The module is not Contacts or Leads, or the field exists.</exception>
    public void AddCustomField(string module, string apiName, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiName);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (_lock)
        {
            if (module is not ("Contacts" or "Leads") || FieldMetadata(module).Any(f => string.Equals(f.ApiName, apiName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"Cannot add field '{apiName}' to {module}: custom fields go on Contacts or Leads, once.", nameof(apiName));
            }

            _addedFields.Add(new AddedField(module, apiName, label, "text", 255, Unique: false, NewFieldId()));
        }
    }

    /// <summary>
    /// Adds a unique single-line field to Contacts or Leads as a Zoho admin would (Setup › Customization › Modules and Fields ›
    /// Single Line, "Do not allow duplicate values"): Zoho derives the API name from the label (<c>CrmSync External Id</c> →
    /// <c>CrmSync_External_Id</c>).
    /// </summary>
    /// <param name="module"><c>Contacts</c> or <c>Leads</c>.</param>
    /// <param name="label">The label users see.</param>
    /// <returns>The field's API name.</returns>
    /// <exception cref="ArgumentException">The module is not Contacts or Leads, or a field with that label or API name exists.</exception>
    public string AddUniqueTextField(string module, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (_lock)
        {
            var apiName = ApiNameOf(label);
            if (module is not ("Contacts" or "Leads") || apiName.Length == 0 || FieldClashes(module, label, apiName))
            {
                throw new ArgumentException($"Cannot add field '{label}' to {module}: custom fields go on Contacts or Leads, once.", nameof(label));
            }

            _addedFields.Add(new AddedField(module, apiName, label.Trim(), "text", 255, Unique: true, NewFieldId()));
            return apiName;
        }
    }

    /// <summary>Deletes a field added with <see cref="AddCustomField"/>, <see cref="AddUniqueTextField"/> or the API; writes naming it are then refused (<c>INVALID_DATA</c>).</summary>
    /// <param name="module"><c>Contacts</c> or <c>Leads</c>.</param>
    /// <param name="apiName">The field's API name.</param>
    /// <returns><see langword="true"/> when the field existed.</returns>
    public bool DeleteCustomField(string module, string apiName)
    {
        lock (_lock)
        {
            return _addedFields.RemoveAll(f => f.Module == module && string.Equals(f.ApiName, apiName, StringComparison.OrdinalIgnoreCase)) > 0;
        }
    }

    /// <summary>
    /// Gives or takes the signed-in user's permission to customize Zoho CRM (the Administrator profile has it, Standard does
    /// not). Without it <c>POST /settings/fields</c> answers 403 <c>NO_PERMISSION</c>.
    /// </summary>
    /// <param name="allowed"><see langword="true"/> for an admin profile.</param>
    public void SetUserCanCustomize(bool allowed)
    {
        lock (_lock)
        {
            _userCanCustomize = allowed;
        }
    }

    private string NewFieldId() => (_nextFieldId++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A custom field: its module, API name, label, data type, maximum length, whether it refuses duplicate values, and id.</summary>
    private sealed record AddedField(string Module, string ApiName, string Label, string DataType, int Length, bool Unique, string Id);
}
