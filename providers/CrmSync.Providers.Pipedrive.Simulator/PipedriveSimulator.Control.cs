using System.Globalization;
using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Pipedrive.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Pipedrive API tokens.</content>
public sealed partial class PipedriveSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("tokens");

    /// <inheritdoc />
    public string Provider => "pipedrive";

    /// <inheritdoc />
    public string DisplayName => "Pipedrive";

    /// <inheritdoc />
    public string ContactObjectType => "persons";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <summary>
    /// Returns where "Install" on the app's Pipedrive Marketplace listing sends a user: the consent page, which then redirects
    /// to the app's callback with a <c>code</c> and no <c>state</c> (Pipedrive adds <c>state</c> only to sign-ins the app starts).
    /// </summary>
    /// <param name="callbackUrl">The app's registered callback URL.</param>
    /// <returns>The consent page URL.</returns>
    public Uri GetMarketplaceInstallUrl(Uri callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        return new Uri(BaseUrl, $"oauth/authorize?client_id={Uri.EscapeDataString(_options.ClientId)}&redirect_uri={Uri.EscapeDataString(callbackUrl.ToString())}");
    }

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType)
            .Select(r => new CrmSimulatorRecord(r.Id.ToString(CultureInfo.InvariantCulture), r.ObjectType, CrmSimulatorRecord.TextOf(r.Properties), r.CreatedAt, r.ModifiedAt))
            .ToList();

    /// <inheritdoc />
    /// <remarks>Pipedrive meters API tokens: each endpoint costs its token cost (v2 get 1, list 10, create/update 5, search 20…); OAuth calls and refused calls cost nothing.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_lock)
        {
            return _meter.Snapshot(RequestCount, _dailyBudget, _dailyUsed);
        }
    }

    /// <summary>Adds a custom text person field, as a Pipedrive admin would in Data fields.</summary>
    /// <param name="name">The name users see.</param>
    /// <returns>The field's 40-character key.</returns>
    public string AddCustomPersonField(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
            AddPersonField(key, name, "varchar", isCustom: true, _time.GetUtcNow());
            return key;
        }
    }

    /// <summary>
    /// Sets whether the connected user's permission set allows adding custom fields (Pipedrive's <c>can_add_custom_fields</c>,
    /// "Add custom fields" in Company settings › Permission sets). When not, <c>POST /api/v1/personFields</c> and
    /// <c>POST /api/v2/personFields</c> answer 403 with the body described in the README; reading fields still works. An OAuth
    /// token without <c>contacts:full</c> is refused before this check, with 403 "Scope and URL mismatch".
    /// </summary>
    /// <param name="allowed"><see langword="false"/> to refuse field creation; the default (and after <see cref="Reset"/>) is <see langword="true"/>.</param>
    public void SetUserCanAddCustomFields(bool allowed)
    {
        lock (_lock)
        {
            _userCanAddCustomFields = allowed;
        }
    }

    /// <summary>Gets the number of create-person-field requests (v1 or v2) that passed authentication and the scope check, refused ones included, since start or the last <see cref="Reset"/>.</summary>
    public int CreatePersonFieldRequestCount
    {
        get
        {
            lock (_lock)
            {
                return _createPersonFieldRequests;
            }
        }
    }

    /// <summary>Deletes a custom person field, as an admin would; persons written with its key are then refused.</summary>
    /// <param name="key">The field's key.</param>
    /// <returns><see langword="true"/> when a custom field with that key existed.</returns>
    public bool DeleteCustomPersonField(string key)
    {
        lock (_lock)
        {
            var row = _personFields.Values.FirstOrDefault(f => f.Data["edit_flag"]!.GetValue<bool>() && f.Data["key"]!.GetValue<string>() == key);
            return row is not null && _personFields.Remove(row.Id);
        }
    }
}
