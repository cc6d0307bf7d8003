using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of HubSpot API calls.</content>
public sealed partial class HubSpotSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("calls");

    /// <inheritdoc />
    public string Provider => "hubspot";

    /// <inheritdoc />
    public string DisplayName => "HubSpot";

    /// <inheritdoc />
    public string ContactObjectType => "contacts";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    void ICrmSimulator.SetDailyLimit(long limit) => SetDailyLimit((int)Math.Clamp(limit, 0, int.MaxValue));

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType).Select(r => new CrmSimulatorRecord(r.Id, r.ObjectType, r.Properties, r.CreatedAt, r.UpdatedAt)).ToList();

    /// <inheritdoc />
    /// <remarks>HubSpot meters API calls: every <c>/crm/</c> call it accepts counts, searches included; OAuth calls and calls it refuses (401, 429) do not.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_gate)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _dailyCount);
        }
    }

    /// <summary>
    /// Returns the most API calls the rolling burst limit (<c>TEN_SECONDLY_ROLLING</c>) admits in a period of the given
    /// length, the first window included: the whole limit at the start, and the whole limit again each time a full window
    /// has passed. Benchmarks compare it with <see cref="GetUsage"/> to say how much of the limit a client used.
    /// </summary>
    /// <param name="period">The length of the period (for example a sync run).</param>
    /// <returns>The number of calls.</returns>
    public long GetBurstAllowance(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        lock (_gate)
        {
            return _burstLimit * ((long)Math.Floor(period / _burstWindow) + 1);
        }
    }

    /// <summary>Adds a custom text property, as a HubSpot admin would in the property settings.</summary>
    /// <param name="objectType">The object type (for example <c>contacts</c>).</param>
    /// <param name="name">The internal name (lowercase letters, digits and underscores).</param>
    /// <param name="label">The label users see.</param>
    /// <exception cref="ArgumentException">The object type is unknown, the name invalid or already taken.</exception>
    public void AddCustomProperty(string objectType, string name, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType) ?? throw new ArgumentException($"Unknown object type '{objectType}'.", nameof(objectType));
            if (!IsValidPropertyName(name) || _properties[type].ContainsKey(name))
            {
                throw new ArgumentException($"Property name '{name}' is invalid or already exists on {type}.", nameof(name));
            }

            _properties[type][name] = new PropertyDefinition(name, label, "string", "text", GroupOf(type), false, ReadOnly: false, Custom: true, null, _time.GetUtcNow());
        }
    }

    /// <summary>Adds a custom single-line text property, as a HubSpot super admin would in the property settings.</summary>
    /// <param name="objectType">The object type (for example <c>contacts</c>).</param>
    /// <param name="name">The internal name (lowercase letters, digits and underscores).</param>
    /// <param name="label">The label users see.</param>
    /// <param name="hasUniqueValue">Whether "Require unique values for this property" is ticked (contacts, companies, deals and tickets only).</param>
    /// <exception cref="ArgumentException">The object type is unknown, the name invalid or already taken, or the object cannot have unique-value properties.</exception>
    public void AddCustomProperty(string objectType, string name, string label, bool hasUniqueValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType) ?? throw new ArgumentException($"Unknown object type '{objectType}'.", nameof(objectType));
            if (!IsValidPropertyName(name) || _properties[type].ContainsKey(name))
            {
                throw new ArgumentException($"Property name '{name}' is invalid or already exists on {type}.", nameof(name));
            }

            if (hasUniqueValue && !UniqueValueObjects.Contains(type))
            {
                throw new ArgumentException($"Properties of {type} cannot require unique values.", nameof(hasUniqueValue));
            }

            _properties[type][name] = new PropertyDefinition(name, label, "string", "text", GroupOf(type), hasUniqueValue, ReadOnly: false, Custom: true, null, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Sets whether the HubSpot user behind every token may edit property settings. When not, creating, updating or archiving a
    /// property (<c>POST</c>, <c>PATCH</c>, <c>DELETE /crm/v3/properties/{objectType}…</c>) answers 403 with the
    /// <c>USER_DOES_NOT_HAVE_PERMISSIONS</c> error described in the README; reading properties still works. A token without the
    /// <c>crm.schemas.{type}.write</c> scope is refused before this check, with 403 <c>MISSING_SCOPES</c>.
    /// </summary>
    /// <param name="allowed"><see langword="false"/> to refuse property changes; the default (and after <see cref="Reset"/>) is <see langword="true"/>.</param>
    public void SetUserCanEditProperties(bool allowed)
    {
        lock (_gate)
        {
            _userCanEditProperties = allowed;
        }
    }

    /// <summary>Gets the number of create-property requests (<c>POST /crm/v3/properties/{objectType}</c>) received, refused ones included, since start or the last <see cref="Reset"/>.</summary>
    public int CreatePropertyRequestCount => Volatile.Read(ref _createPropertyRequests);

    /// <summary>Archives (deletes) a custom property, as a HubSpot admin would; records then refuse values for it.</summary>
    /// <param name="objectType">The object type (for example <c>contacts</c>).</param>
    /// <param name="name">The property's internal name.</param>
    /// <returns><see langword="true"/> when the property existed and was archived.</returns>
    public bool ArchiveProperty(string objectType, string name)
    {
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType) ?? throw new ArgumentException($"Unknown object type '{objectType}'.", nameof(objectType));
            return _properties[type].TryGetValue(name, out var property) && property.Custom && _properties[type].Remove(name);
        }
    }
}
