namespace CrmSync.Widgets.Tests;

/// <summary>A CRM CrmSync can write to but not read from (no <see cref="ICrmFetchProvider"/>), so its connections report CanFetch = false.</summary>
public sealed class PushOnlyCrmProvider(InMemoryCrmProvider inner) : ICrmProvider
{
    public InMemoryCrmProvider Inner { get; } = inner;

    public string Name => Inner.Name;

    public string DisplayName => "Legacy CRM";

    public CrmProviderCapabilities Capabilities => Inner.Capabilities;

    public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default) =>
        Inner.UpsertAsync(context, records, cancellationToken);

    public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) =>
        Inner.GetUsersAsync(context, cancellationToken);

    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) =>
        Inner.GetRecordLink(context, objectType, crmRecordId);
}
