using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Salesforce API requests.</content>
public sealed partial class SalesforceSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("API requests");

    /// <inheritdoc />
    public string Provider => "salesforce";

    /// <inheritdoc />
    public string DisplayName => "Salesforce";

    /// <inheritdoc />
    public string ContactObjectType => "Contact";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    void ICrmSimulator.SetDailyLimit(long limit) => SetDailyLimit((int)Math.Clamp(limit, 0, int.MaxValue));

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType).Select(r => new CrmSimulatorRecord(r.Id, r.ObjectType, r.Properties, r.CreatedAt, r.UpdatedAt)).ToList();

    /// <inheritdoc />
    /// <remarks>Salesforce meters API requests: every REST call under <c>/services/data/vNN.N/</c> it accepts counts toward <c>DailyApiRequests</c>; OAuth calls and refused calls do not.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_gate)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _dailyCalls.Count);
        }
    }

    /// <summary>Adds a custom text field to Lead or Contact, as a Salesforce admin would in Object Manager.</summary>
    /// <param name="objectType"><c>Lead</c> or <c>Contact</c>.</param>
    /// <param name="apiName">The field's API name, ending in <c>__c</c>.</param>
    /// <exception cref="ArgumentException">The object, or the name, is not valid, or the field exists.</exception>
    public void AddCustomField(string objectType, string apiName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiName);
        lock (_gate)
        {
            if (!_customFields.TryGetValue(objectType, out var fields) || !apiName.EndsWith("__c", StringComparison.Ordinal) || fields.Any(f => string.Equals(f.Name, apiName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"Cannot add custom field '{apiName}' to {objectType}: custom fields end in __c, exist once, on Lead or Contact.", nameof(apiName));
            }

            fields.Add(new CustomFieldDefinition(apiName, CustomLabel(apiName), MaxTextLength, ExternalId: false, Unique: false, NewMetadataId("00N")) { AdminVisible = true });
        }
    }

    /// <summary>Deletes a custom field (added with <see cref="AddCustomField"/> or <see cref="AddExternalIdField"/>, created through the Tooling API, or from the options), as an admin would; writes naming it are then refused (<c>INVALID_FIELD</c>).</summary>
    /// <param name="objectType"><c>Lead</c> or <c>Contact</c>.</param>
    /// <param name="apiName">The field's API name.</param>
    /// <returns><see langword="true"/> when the field existed.</returns>
    public bool DeleteCustomField(string objectType, string apiName)
    {
        lock (_gate)
        {
            if (!_customFields.TryGetValue(objectType, out var fields) || fields.RemoveAll(f => string.Equals(f.Name, apiName, StringComparison.OrdinalIgnoreCase)) == 0)
            {
                return false;
            }

            foreach (var key in _fieldPermissions.Keys.Where(k => string.Equals(k.Field, $"{objectType}.{apiName}", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                _fieldPermissions.Remove(key);
            }

            return true;
        }
    }
}
