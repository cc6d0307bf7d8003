namespace CrmSync.Sdk;

/// <summary>What a provider can do; the engine and widgets adapt to it.</summary>
public sealed record CrmProviderCapabilities
{
    /// <summary>Gets the most records one upsert call may carry (HubSpot 100, Salesforce 200, Zoho 100, Pipedrive 1). Defaults to 100.</summary>
    public int MaxBatchSize { get; init; } = 100;

    /// <summary>
    /// Gets how many batches of one connection the engine may push at the same time. Defaults to 1 (one after another).
    /// Raise it for CRMs whose rate limit leaves room while a batch is in flight; the provider's request budget still paces every call.
    /// </summary>
    public int MaxConcurrentBatches { get; init; } = 1;

    /// <summary>Gets whether the CRM upserts by external id natively (otherwise the provider searches, then creates or updates).</summary>
    public bool NativeUpsert { get; init; }

    /// <summary>Gets whether the CRM can list its users (the record-owner picker is shown only then).</summary>
    public bool CanListUsers { get; init; }

    /// <summary>Gets whether the provider can build deep links to records.</summary>
    public bool RecordDeepLinks { get; init; }

    /// <summary>Gets whether connections sign in with OAuth (the provider then also implements <see cref="ICrmOAuthProvider"/>).</summary>
    public bool OAuth { get; init; }

    /// <summary>
    /// Gets whether the CRM can start an install from its own marketplace, sending the browser back with a code but no
    /// <c>state</c> (Pipedrive Marketplace). Such an install is bound to the signed-in user's tenant and confirmed by that user
    /// (<see cref="CrmSyncClient.BeginInstallAsync"/>, <see cref="CrmSyncClient.ConfirmInstallAsync"/>); every other sign-in
    /// must carry the <c>state</c> CrmSync issued.
    /// </summary>
    public bool InstallsWithoutState { get; init; }

    /// <summary>Gets the datacenters the user picks from before sign-in (Zoho). Empty when the CRM has one.</summary>
    public IReadOnlyList<CrmDatacenter> Datacenters { get; init; } = [];

    /// <summary>
    /// Gets whether the provider reads from the CRM (implements <see cref="ICrmFetchProvider"/>). Defaults to <see langword="false"/>;
    /// <see cref="CrmConnection.Capabilities"/> always reports the truth whatever the provider sets.
    /// </summary>
    public bool CanFetch { get; init; }

    /// <summary>Gets the object types the CRM accepts. Defaults to all.</summary>
    public IReadOnlySet<CrmObjectType> SupportedObjects { get; init; } = new HashSet<CrmObjectType>(Enum.GetValues<CrmObjectType>());
}

/// <summary>One region a CRM account can live in.</summary>
/// <param name="Id">The stable id stored on the connection (for example <c>eu</c>).</param>
/// <param name="DisplayName">The name users pick (for example <c>Europe</c>).</param>
public sealed record CrmDatacenter(string Id, string DisplayName);
