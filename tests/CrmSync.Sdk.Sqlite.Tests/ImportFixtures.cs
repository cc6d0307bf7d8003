using System.Collections.Concurrent;
using CrmSync.Sdk;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>Records, actors and a recording sink for the fetch-direction tests.</summary>
internal static class ImportFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static CrmImportActor Manager { get; } = CrmImportActor.Create("mia-manager", "manager");

    public static CrmImportActor Admin { get; } = CrmImportActor.Create("ada-admin", "Admin");

    public static CrmImportActor Member { get; } = CrmImportActor.Create("max-member", "member");

    public static CrmImportActor Owner { get; } = CrmImportActor.Create("olga-owner", "owner");

    public static ConnectionSettings Fetch { get; } = new() { Direction = SyncDirection.Fetch };

    public static CrmFetchFilter LostDeals { get; } = new() { ObjectType = CrmFetchObjectType.Deal };

    public static CrmFetchedRecord Deal(int n, int minutes = 0, string stage = "closedlost", CrmDealStatus status = CrmDealStatus.ClosedLost, string owner = "owner-1", int createdDay = 1) => new()
    {
        ObjectType = CrmFetchObjectType.Deal,
        CrmId = $"deal-{n:D4}",
        Name = $"Deal {n}",
        Stage = stage,
        DealStatus = status,
        OwnerId = owner,
        CreatedAt = new DateTimeOffset(2026, 10, createdDay, 9, 0, 0, TimeSpan.Zero),
        ModifiedAt = T0.AddMinutes(minutes + n),
        Fields = new Dictionary<string, string?> { ["amount"] = (n * 100).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Company = new CrmFetchedCompany { CrmId = $"co-{n % 7}", Name = $"Company {n % 7}", Domain = $"company{n % 7}.example" },
    };

    public static IEnumerable<CrmFetchedRecord> Deals(int count, int from = 1) => Enumerable.Range(from, count).Select(n => Deal(n));

    public static CrmFetchedRecord Contact(int n, string? source = null) => new()
    {
        ObjectType = CrmFetchObjectType.Contact,
        CrmId = $"contact-{n}",
        Name = $"Person {n}",
        Source = source,
        CreatedAt = T0,
        ModifiedAt = T0.AddMinutes(n),
        Fields = new Dictionary<string, string?> { [CrmFieldNames.Email] = $"p{n}@example.test" },
    };

    public static async Task<CrmConnection> ConnectFetchAsync(this SyncHarness h, string tenant = SyncHarness.Tenant, SyncDirection direction = SyncDirection.Fetch) =>
        await h.ConnectAsync(new ConnectionSettings { Direction = direction }, tenant);
}

internal sealed class RecordingImportSink : ICrmImportSink
{
    public ConcurrentQueue<CrmImportDelivery> Deliveries { get; } = new();

    public int FailNext { get; set; }

    public IReadOnlyList<CrmImportedRecord> Records => Deliveries.SelectMany(d => d.Records).ToList();

    public Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default)
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new InvalidOperationException("The host database is down.");
        }

        Deliveries.Enqueue(delivery);
        return Task.CompletedTask;
    }
}
