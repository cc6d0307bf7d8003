using CrmSync.Providers.Simulation;
using CrmSync.Sdk;
using Xunit;

namespace CrmSync.TestUtils.Conformance;

/// <summary>
/// The checks every CRM provider passes against its simulator over real HTTP: upserts are idempotent by external id, a lost
/// answer never duplicates a record, one bad record fails alone with a problem type, revocation and limits are answered with
/// the exceptions the engine understands (and store nothing), owners list, deep links point at the record, and fetch paging
/// returns every record exactly once. A provider test project subclasses it and says how to start its provider and simulator
/// (<see cref="StartAsync"/>); a new provider gets the same checks for free.
/// </summary>
public abstract class CrmProviderConformanceTests
{
    /// <summary>Starts a fresh simulator and a provider signed in to it.</summary>
    /// <returns>The target; disposed by each test.</returns>
    protected abstract Task<CrmConformanceTarget> StartAsync();

    [Fact]
    public async Task UpsertAsync_SameContactTwice_StoresOneRecordAndKeepsItsId()
    {
        // Arrange
        await using var target = await StartAsync();

        // Act
        var first = await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-1", "Lovelace")]);
        var second = await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-1", "Byron")]);

        // Assert
        Assert.True(first[0].Succeeded, first[0].Error);
        Assert.True(second[0].Succeeded, second[0].Error);
        Assert.Equal(first[0].CrmRecordId, second[0].CrmRecordId);
        var stored = Assert.Single(target.StoredContacts());
        Assert.Equal(first[0].CrmRecordId, stored.Id);
        Assert.Contains(stored.Properties.Values, v => v == "Byron");
    }

    [Fact]
    public async Task UpsertAsync_AnswerLostAfterTheWrite_RetryStoresOneRecord()
    {
        // Arrange
        await using var target = await StartAsync();
        target.Simulator.LoseNextResponses(1);

        // Act
        IReadOnlyList<CrmRecordResult>? results = null;
        try
        {
            results = await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-lost", "Lovelace")]);
        }
        catch (CrmProviderUnavailableException)
        {
            // The engine retries the batch after an outage; so does this test.
        }

        if (results is null || !results[0].Succeeded)
        {
            results = await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-lost", "Lovelace")]);
        }

        // Assert
        Assert.True(results[0].Succeeded, results[0].Error);
        var stored = Assert.Single(target.StoredContacts());
        Assert.Equal(results[0].CrmRecordId, stored.Id);
    }

    [Fact]
    public async Task UpsertAsync_OneRecordTheCrmRejects_OthersSucceedAndItFailsWithAProblemType()
    {
        // Arrange
        await using var target = await StartAsync();

        // Act
        var results = await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-good", "Lovelace"), target.InvalidContact("conf-bad")]);

        // Assert
        Assert.Equal(2, results.Count);
        var good = Assert.Single(results, r => r.ExternalId == "conf-good");
        var bad = Assert.Single(results, r => r.ExternalId == "conf-bad");
        Assert.True(good.Succeeded, good.Error);
        Assert.False(bad.Succeeded);
        Assert.NotNull(bad.ProblemType);
        Assert.False(string.IsNullOrWhiteSpace(bad.Error));
        Assert.Equal(good.CrmRecordId, Assert.Single(target.StoredContacts()).Id);
    }

    [Fact]
    public async Task UpsertAsync_TokensRevoked_ThrowsAuthRevokedAndStoresNothing()
    {
        // Arrange
        await using var target = await StartAsync();
        target.Simulator.RevokeAllTokens();

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => target.Provider.UpsertAsync(target.Context, [target.Contact("conf-revoked", "Lovelace")]));

        // Assert
        Assert.Equal(target.Provider.Name, ex.Provider);
        Assert.Empty(target.StoredContacts());
    }

    [Fact]
    public async Task UpsertAsync_CrmLimitReached_ThrowsRateLimitedWithAWaitAndStoresNothing()
    {
        // Arrange
        await using var target = await StartAsync();
        target.Simulator.SetBurstLimit(0);
        target.Simulator.SetDailyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => target.Provider.UpsertAsync(target.Context, [target.Contact("conf-limited", "Lovelace")]));

        // Assert
        Assert.True(ex.RetryAfter > TimeSpan.Zero, $"no wait: {ex.RetryAfter}");
        Assert.Empty(target.StoredContacts());
    }

    [Fact]
    public async Task UpsertAsync_CrmDown_ThrowsUnavailableAndStoresNothing()
    {
        // Arrange
        await using var target = await StartAsync();
        target.Simulator.SimulateOutage(true);

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => target.Provider.UpsertAsync(target.Context, [target.Contact("conf-down", "Lovelace")]));

        // Assert
        Assert.Equal(target.Provider.Name, ex.Provider);
        target.Simulator.SimulateOutage(false);
        Assert.Empty(target.StoredContacts());
    }

    [Fact]
    public async Task GetUsersAsync_SignedIn_ListsOwnersWithIdsAndNames()
    {
        // Arrange
        await using var target = await StartAsync();

        // Act
        var users = await target.Provider.GetUsersAsync(target.Context);

        // Assert
        Assert.True(target.Provider.Capabilities.CanListUsers);
        Assert.NotEmpty(users);
        Assert.All(users, u =>
        {
            Assert.False(string.IsNullOrWhiteSpace(u.Id));
            Assert.False(string.IsNullOrWhiteSpace(u.Name));
        });
        Assert.Equal(users.Count, users.Select(u => u.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task GetRecordLink_UpsertedContact_PointsAtTheRecordOrIsNoneWhenTheCrmHasNoRecordPages()
    {
        // Arrange
        await using var target = await StartAsync();
        var result = (await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-link", "Lovelace")]))[0];

        // Act
        var link = target.Provider.GetRecordLink(target.Context, CrmObjectType.Contact, result.CrmRecordId!);

        // Assert: a CRM without a documented web page per record (Reapit) says so, and the widgets show no link.
        if (!target.Provider.Capabilities.RecordDeepLinks)
        {
            Assert.Null(link);
            Assert.False(target.ExpectsRecordDeepLinks, $"{target.Provider.Name} has record pages but declares no deep links");
            return;
        }

        Assert.NotNull(link);
        Assert.True(link.IsAbsoluteUri && link.Scheme is "https" or "http", link.ToString());
        Assert.Contains(Uri.EscapeDataString(result.CrmRecordId!), link.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchPageAsync_MoreRecordsThanAPage_ReturnsEveryRecordExactlyOnce()
    {
        // Arrange
        await using var target = await StartAsync();
        var fetch = Assert.IsAssignableFrom<ICrmFetchProvider>(target.Provider);
        var seeded = target.SeedContacts(5);
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact };

        // Act
        var fetched = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await fetch.FetchPageAsync(target.Context, new CrmFetchRequest(filter, cursor, 2));
            fetched.AddRange(page.Records.Select(r => r.CrmId));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 20);

        // Assert
        Assert.True(pages >= 3, $"5 records in pages of 2 took {pages} page(s)");
        Assert.Equal(seeded.Order(StringComparer.Ordinal), fetched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetUsage_AfterAnUpsert_MetersWhatTheCrmCharges()
    {
        // Arrange
        await using var target = await StartAsync();
        var before = target.Simulator.GetUsage();

        // Act
        await target.Provider.UpsertAsync(target.Context, [target.Contact("conf-metered", "Lovelace")]);

        // Assert
        var after = target.Simulator.GetUsage();
        Assert.Equal(before.Unit, after.Unit);
        Assert.True(after.Used > before.Used, $"{after.Unit}: {before.Used} → {after.Used}");
        Assert.True(after.Requests > before.Requests);
    }
}
