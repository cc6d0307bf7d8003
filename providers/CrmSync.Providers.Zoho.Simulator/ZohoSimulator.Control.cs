using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Zoho API credits.</content>
public sealed partial class ZohoSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("credits");

    /// <summary>Custom fields an admin added while the simulator ran.</summary>
    private readonly List<(string Module, string ApiName, string Label)> _addedFields = [];

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

            _addedFields.Add((module, apiName, label));
        }
    }

    /// <summary>Deletes a field added with <see cref="AddCustomField"/>; writes naming it are then refused (<c>INVALID_DATA</c>).</summary>
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
}
