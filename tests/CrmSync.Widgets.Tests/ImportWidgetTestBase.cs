using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmSync.Widgets.Tests;

/// <summary>
/// <see cref="WidgetTestBase"/> plus the fetch direction: a recording <see cref="ICrmImportSink"/>, a CRM without fetch
/// support ("Legacy CRM"), seeded CRM records and helpers that import through the real <see cref="CrmImportClient"/>.
/// </summary>
public abstract class ImportWidgetTestBase : WidgetTestBase
{
    protected static readonly DateTimeOffset Jan = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset Mar = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset May = new(2026, 5, 15, 10, 0, 0, TimeSpan.Zero);

    protected ImportWidgetTestBase()
    {
        Sink = new RecordingImportSink();
        Legacy = new PushOnlyCrmProvider(new InMemoryCrmProvider("legacy", timeProvider: Time));
        Services.RemoveAll<ICrmImportSink>();
        Services.AddSingleton<ICrmImportSink>(Sink);
        Services.AddSingleton<ICrmProvider>(Legacy);
    }

    /// <summary>A manager or admin, as the SDK sees them, for arranging data.</summary>
    protected static CrmImportActor Admin { get; } = CrmImportActor.Create("admin-user", "admin");

    protected RecordingImportSink Sink { get; }

    protected PushOnlyCrmProvider Legacy { get; }

    protected CrmImportClient Imports => Services.GetRequiredService<CrmImportClient>();

    protected CrmLeadSourceClient LeadSources => Services.GetRequiredService<CrmLeadSourceClient>();

    /// <summary>Connects the in-memory CRM with fetching turned on (send and fetch).</summary>
    protected async Task<CrmConnection> ConnectForFetchAsync(string tenant = Tenant)
    {
        var connection = await ConnectAsync(tenant);
        return await Client.UpdateSettingsAsync(tenant, connection.Id, s => s with { Direction = SyncDirection.Both });
    }

    /// <summary>A deal with a company; created at <paramref name="created"/>, modified an hour later.</summary>
    protected static CrmFetchedRecord Deal(string id, CrmDealStatus status = CrmDealStatus.ClosedLost, string? stage = null, string owner = "owner-1", DateTimeOffset? created = null) => new()
    {
        ObjectType = CrmFetchObjectType.Deal,
        CrmId = id,
        Name = $"Deal {id}",
        Stage = stage ?? (status == CrmDealStatus.ClosedWon ? "closedwon" : "closedlost"),
        DealStatus = status,
        OwnerId = owner,
        CreatedAt = created ?? Mar,
        ModifiedAt = (created ?? Mar).AddHours(1),
        Company = new CrmFetchedCompany { CrmId = $"co-{id}", Name = $"Company {id}", Domain = $"{id}.example" },
    };

    /// <summary>A contact or lead.</summary>
    protected static CrmFetchedRecord Person(CrmFetchObjectType kind, string id, string? stage = null, string owner = "owner-1", DateTimeOffset? created = null) => new()
    {
        ObjectType = kind,
        CrmId = id,
        Name = $"{kind} {id}",
        Stage = stage,
        OwnerId = owner,
        CreatedAt = created ?? Mar,
        ModifiedAt = (created ?? Mar).AddHours(1),
    };

    /// <summary>Seeds the CRM with closed-lost deals and imports them into the inbox through the SDK.</summary>
    protected async Task<CrmImportRun> ImportDealsAsync(Guid connectionId, int count, string tenant = Tenant, string prefix = "d")
    {
        Provider.Seed(Enumerable.Range(1, count).Select(i => Deal($"{prefix}{i:D3}", created: Mar.AddMinutes(i))));
        var run = await Imports.StartImportAsync(Admin, tenant, connectionId, new CrmFetchFilter(), incremental: false);
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        return run;
    }

    protected static string Text(AngleSharp.Dom.IElement element) =>
        System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s+", " ").Trim();

    /// <summary>The text a sighted reader sees: <see cref="Text"/> without the exact times <see cref="CrmSyncTime"/> shows only on hover.</summary>
    protected static string VisibleText(AngleSharp.Dom.IElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var copy = (AngleSharp.Dom.IElement)element.Clone(deep: true);
        foreach (var exact in copy.QuerySelectorAll(".crmsync-time__exact").ToList())
        {
            exact.Remove();
        }

        return Text(copy);
    }
}
