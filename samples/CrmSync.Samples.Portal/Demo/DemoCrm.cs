namespace CrmSync.Samples.Portal.Demo;

/// <summary>One in-process CRM simulator and the faults the "Simulate" panel can inject into it.</summary>
/// <param name="Provider">The CrmSync provider name (for example <c>hubspot</c>).</param>
/// <param name="DisplayName">The CRM's name.</param>
/// <param name="BaseUrl">Where the simulator listens.</param>
/// <param name="SimulateOutage">Turns 503s on or off.</param>
/// <param name="RevokeTokens">Revokes every token, as an uninstalled app would.</param>
/// <param name="SetDailyLimit">Sets the daily API limit (a small number exhausts it).</param>
/// <param name="GetRecords">Reads back the stored records of a CRM object type (as the simulator stores them).</param>
/// <param name="Reset">Forgets every record and fault.</param>
public sealed record DemoCrm(
    string Provider,
    string DisplayName,
    Uri BaseUrl,
    Action<bool> SimulateOutage,
    Action RevokeTokens,
    Action<int> SetDailyLimit,
    Func<string, IReadOnlyList<object>> GetRecords,
    Action Reset)
{
    /// <summary>
    /// Gets where "Install" on the CRM's marketplace listing sends a user, given the app's callback URL; <see langword="null"/>
    /// when the CRM has no marketplace install that comes back without <c>state</c>.
    /// </summary>
    public Func<Uri, Uri>? MarketplaceInstallUrl { get; init; }

    /// <summary>
    /// Gets what the CRM's admin can do to the demo's custom contact field (create it, delete it);
    /// <see langword="null"/> when the simulator cannot. CRMs whose fields CrmSync checks when a mapping is saved need it to
    /// show a field that breaks later: map a real field, then delete it in the CRM.
    /// </summary>
    public DemoFieldAdmin? ContactFieldAdmin { get; init; }
}

/// <summary>The simulators the portal runs in-process.</summary>
public sealed class DemoCrms(IEnumerable<DemoCrm> crms)
{
    /// <summary>Gets every simulator.</summary>
    public IReadOnlyList<DemoCrm> All { get; } = crms.ToList();

    /// <summary>Gets a simulator by provider name.</summary>
    /// <param name="provider">The provider name.</param>
    /// <returns>The simulator.</returns>
    public DemoCrm Get(string provider) => All.First(c => string.Equals(c.Provider, provider, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The demo's custom contact field in one simulated CRM, created and deleted as the CRM's admin would.</summary>
/// <param name="create">Creates the field and returns the name to map it by (API name or key).</param>
/// <param name="delete">Deletes the field by that name.</param>
public sealed class DemoFieldAdmin(Func<string> create, Func<string, bool> delete)
{
    /// <summary>Gets the name the field was last created under, if any.</summary>
    public string? FieldName { get; private set; }

    /// <summary>Creates the field (again), deleting an earlier one first.</summary>
    /// <returns>The name to map it by.</returns>
    public string Create()
    {
        Delete();
        FieldName = create();
        return FieldName;
    }

    /// <summary>Deletes the field if it exists; its name stays known so the mapping entry can be removed.</summary>
    public void Delete()
    {
        if (FieldName is not null)
        {
            delete(FieldName);
        }
    }
}
