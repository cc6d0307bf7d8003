using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Providers;

public class CrmFetchFilterTests
{
    private static readonly DateTimeOffset T = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static CrmFetchedRecord Deal(CrmDealStatus status = CrmDealStatus.ClosedLost, string stage = "closedlost", string owner = "o1", int createdDays = 0, int modifiedDays = 0) => new()
    {
        ObjectType = CrmFetchObjectType.Deal,
        CrmId = "d1",
        Stage = stage,
        DealStatus = status,
        OwnerId = owner,
        CreatedAt = T.AddDays(createdDays),
        ModifiedAt = T.AddDays(modifiedDays),
    };

    public static TheoryData<string, CrmFetchFilter, CrmFetchedRecord, bool> Cases => new()
    {
        { "default filter takes closed-lost deals", new CrmFetchFilter(), Deal(), true },
        { "default filter skips closed-won", new CrmFetchFilter(), Deal(CrmDealStatus.ClosedWon), false },
        { "closed-won opted in", new CrmFetchFilter { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] }, Deal(CrmDealStatus.ClosedWon), true },
        { "stage matches case-insensitively", new CrmFetchFilter { Stages = ["ClosedLost"] }, Deal(), true },
        { "other stage", new CrmFetchFilter { Stages = ["lost-budget"] }, Deal(), false },
        { "owner listed", new CrmFetchFilter { OwnerIds = ["o2", "o1"] }, Deal(), true },
        { "owner not listed", new CrmFetchFilter { OwnerIds = ["o2"] }, Deal(), false },
        { "created at the range start is in", new CrmFetchFilter { CreatedFrom = T }, Deal(), true },
        { "created at the range end is out", new CrmFetchFilter { CreatedBefore = T }, Deal(), false },
        { "modified exactly at modified-since is in", new CrmFetchFilter { ModifiedSince = T }, Deal(), true },
        { "modified before modified-since is out", new CrmFetchFilter { ModifiedSince = T.AddTicks(1) }, Deal(), false },
        { "modified at modified-before is out", new CrmFetchFilter { ModifiedBefore = T }, Deal(), false },
        { "other object kind", new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact }, Deal(), false },
        { "deal statuses ignored for contacts", new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact }, Deal() with { ObjectType = CrmFetchObjectType.Contact, DealStatus = null }, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_Record_FollowsTheFilter(string scenario, CrmFetchFilter filter, CrmFetchedRecord record, bool expected)
    {
        // Act
        var result = filter.Matches(record);

        // Assert
        Assert.True(expected == result, scenario);
    }

    [Fact]
    public void GetScopeKey_SameFilterInAnotherOrderOrModifiedSince_IsTheSame()
    {
        // Arrange
        var a = new CrmFetchFilter { Stages = ["a", "B"], OwnerIds = ["o1", "o2"], ModifiedSince = T };
        var b = new CrmFetchFilter { Stages = ["b", "A"], OwnerIds = ["o2", "o1"], ModifiedSince = T.AddDays(3) };

        // Act
        var keyA = a.GetScopeKey();
        var keyB = b.GetScopeKey();

        // Assert
        Assert.Equal(keyA, keyB);
        Assert.NotEqual(keyA, (a with { OwnerIds = ["o1"] }).GetScopeKey());
        Assert.NotEqual(keyA, (a with { DealStatuses = [CrmDealStatus.ClosedWon] }).GetScopeKey());
    }

    [Fact]
    public void Validate_EmptyRangesAndNoDealStatus_NamesEachProblem()
    {
        // Arrange
        var filter = new CrmFetchFilter { DealStatuses = [], CreatedFrom = T, CreatedBefore = T, ModifiedSince = T.AddDays(1), ModifiedBefore = T, Stages = [" "] };

        // Act
        var errors = filter.Validate();

        // Assert
        Assert.Equal(["DealStatuses", "CreatedFrom", "ModifiedSince", "Stages"], errors.Select(e => e.Path));
        Assert.Empty(new CrmFetchFilter().Validate());
    }

    [Fact]
    public void CrmImportActor_RolesDifferInCase_StillMatch()
    {
        // Arrange
        var actor = CrmImportActor.Create("u1", "Manager", " ");

        // Act
        var approves = actor.HasAnyRole(["manager", "admin"]);

        // Assert
        Assert.True(approves);
        Assert.False(actor.HasAnyRole(["admin"]));
        Assert.Single(actor.Roles);
    }
}
