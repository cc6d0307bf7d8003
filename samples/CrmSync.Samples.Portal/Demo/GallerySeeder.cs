using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>
/// Seeds a separate tenant with one connection in every status, so the widget gallery (<c>/gallery</c>) can show
/// every component in every state. It drives the real engine against an in-memory CRM, and sets the clock-based
/// facts (stale, daily-limit pause) directly on the stored status facts. Every gallery connection is off the schedule
/// (<see cref="ConnectionSettings.RunOnSchedule"/> is <see langword="false"/>: "Not scheduled"), so the scheduler never
/// runs it and live syncs never overwrite the states: the Error example stays an error. The daily-limit example resumes
/// at the next midnight UTC, as a real daily quota does, and is rolled to the following midnight when that passes, so it
/// stays paused. With a frozen <see cref="PortalClock"/> the data and times are the same on every start.
/// </summary>
public sealed class GallerySeeder(CrmSyncClient sync, CrmImportClient imports, ICrmSyncStore store, InMemoryCrmProvider crm, CrmSyncWorkflowStep step, CrmLeadSourceClient leadSources, TimeProvider time, PortalClock clock) : IHostedService, IAsyncDisposable
{
    /// <summary>The account label of the daily-limit example.</summary>
    private const string DailyLimitLabel = "Gallery — Paused: daily limit";

    private ITimer? _dailyLimitTimer;

    /// <summary>The gallery's provider name.</summary>
    public const string ProviderName = "gallery";

    /// <summary>The gallery's tenant.</summary>
    public const string TenantId = "gallery-org";

    /// <summary>The lead whose <c>crm_sync</c> workflow step synced (record timeline example).</summary>
    public const string SyncedLeadId = "gallery-lead-synced";

    /// <summary>The lead whose <c>crm_sync</c> workflow step failed on a typo in its syncFields (record timeline example).</summary>
    public const string FailedLeadId = "gallery-lead-failed";

    /// <summary>The seeded connections, by the state they show.</summary>
    public static IReadOnlyList<string> States { get; } =
    [
        "Active", "One failed record", "Failed records", "Error", "Stale", "Paused by user", "Paused: daily limit", "Paused: expired credentials", "Outage",
        "Revoked", "Disconnected", "Setup incomplete",
    ];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        _dailyLimitTimer ??= time.CreateTimer(_ => _ = RollDailyLimitAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if ((await sync.GetConnectionsAsync(TenantId, cancellationToken)).Count > 0)
        {
            await KeepDailyLimitPausedAsync(cancellationToken);
            return;
        }

        // A frozen clock (screenshots) is stepped through the two hours before the frozen instant while seeding, so the gallery
        // shows a spread of relative times ("2 hours ago" … "just now"), then put back.
        var frozen = clock.FrozenAt;
        if (frozen is { } start)
        {
            clock.Set(start.AddHours(-2));
        }

        SeedCrmDeals();
        foreach (var state in States)
        {
            await SeedAsync(state, cancellationToken);
            if (frozen is not null)
            {
                clock.Set(clock.GetUtcNow() + (TimeSpan.FromHours(2) / States.Count));
            }
        }

        await SeedTimelinesAsync(cancellationToken);
        await SeedMappingAsync(cancellationToken);
        await SeedLeadSourcesAsync(cancellationToken);
        if (frozen is { } end)
        {
            clock.Set(end);
        }

        await KeepDailyLimitPausedAsync(cancellationToken);
    }

    /// <summary>When the daily limit would reset (the next midnight UTC after <paramref name="now"/>).</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The reset.</returns>
    public static DateTimeOffset NextDailyReset(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    /// <summary>Moves the daily-limit example's reset to the next midnight once the last one has passed, so it keeps showing a pause.</summary>
    private async Task KeepDailyLimitPausedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var example = (await sync.GetConnectionsAsync(TenantId, ct)).FirstOrDefault(c => c.AccountLabel == DailyLimitLabel);
        if (example is not null && example.State.AutoPausedUntil is { } until && until <= now)
        {
            await store.UpdateConnectionAsync(TenantId, example.Id, c => c with { State = c.State with { AutoPausedUntil = NextDailyReset(now) } }, ct);
            sync.Changes.Publish(TenantId, example.Id, CrmSyncChangeKinds.Facts);
        }
    }

    private async Task RollDailyLimitAsync()
    {
        try
        {
            await KeepDailyLimitPausedAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // The store is shutting down; the next start rolls it.
        }
    }

    /// <summary>Two runs of the <c>crm_sync</c> workflow step, one synced and one that fails on a typo in its syncFields, for the record timeline.</summary>
    private async Task SeedTimelinesAsync(CancellationToken ct)
    {
        var (_, synced) = DemoLeads.All[0];
        var (_, failed) = DemoLeads.All[1];
        await step.RunAsync(new CrmSyncStepRequest { TenantId = TenantId, LeadId = SyncedLeadId, Lead = synced, SyncFields = new Dictionary<string, string> { ["summary"] = "{{name}}: {{successEvaluation}}" } }, ct);
        await step.RunAsync(new CrmSyncStepRequest { TenantId = TenantId, LeadId = FailedLeadId, Lead = failed, SyncFields = new Dictionary<string, string> { ["summary"] = "{{nmae}}" } }, ct);
    }

    /// <summary>A populated field mapping on the active connection (set after its syncs): a source field, a template and a fixed value.</summary>
    private async Task SeedMappingAsync(CancellationToken ct)
    {
        var active = (await sync.GetConnectionsAsync(TenantId, ct)).FirstOrDefault(c => c.AccountLabel == "Gallery — Active");
        if (active is null)
        {
            return;
        }

        await sync.UpdateSettingsAsync(TenantId, active.Id, s => s with
        {
            Mapping = s.Mapping with
            {
                Entries =
                [
                    new FieldMappingEntry("jobtitle", FieldMappingKind.SourceField, "jobTitle"),
                    new FieldMappingEntry("description", FieldMappingKind.Template, "{{firstName}} {{lastName}} from the website"),
                    new FieldMappingEntry("lead_source", FieldMappingKind.FixedValue, "CrmSync demo"),
                ],
            },
        }, ct);
    }

    // Creation times order the lead sources: with a frozen clock, step it so each integration has its own and the gallery order is stable.
    private void Tick()
    {
        if (clock.FrozenAt is not null)
        {
            clock.Set(clock.GetUtcNow().AddSeconds(10));
        }
    }

    /// <summary>Lead-source integrations in each state: waiting for a test lead (with a wrong value received), ready to complete, active and failing.</summary>
    private async Task SeedLeadSourcesAsync(CancellationToken ct)
    {
        var admin = CrmImportActor.Create("gallery", "admin");
        if (clock.FrozenAt is { } frozen)
        {
            // Just before the frozen instant, so the times read "just now" and the failed one retries "in 1 minute".
            clock.Set(frozen.AddSeconds(-40));
        }

        var waiting = await leadSources.CreateAsync(admin, TenantId, "SalesHive partner feed", "saleshive-2026", ct);
        await leadSources.ReceiveLeadAsync(TenantId, waiting.Id, "SalesHive_2026", ct);
        Tick();
        var ready = await leadSources.CreateAsync(admin, TenantId, "Webinar sign-ups", "webinar-q4", ct);
        await leadSources.ReceiveLeadAsync(TenantId, ready.Id, "webinar-q4", ct);
        Tick();
        var active = await leadSources.CreateAsync(admin, TenantId, "Website contact form", "website", ct);
        await leadSources.ReceiveLeadAsync(TenantId, active.Id, "website", ct);
        await leadSources.CompleteSetupAsync(admin, TenantId, active.Id, ct);
        Tick();
        var failing = await leadSources.CreateAsync(admin, TenantId, "Trade show scanner", "tradeshow", ct);
        await leadSources.ReceiveLeadAsync(TenantId, failing.Id, "tradeshow", ct);
        await leadSources.CompleteSetupAsync(admin, TenantId, failing.Id, ct);
        await leadSources.ReportSyncAsync(TenantId, failing.Id, succeeded: false, "The partner feed answered 502.", ct);
    }

    /// <summary>Closed deals in the gallery CRM, for the import wizard and inbox.</summary>
    private void SeedCrmDeals()
    {
        var now = time.GetUtcNow();
        string[] companies = ["Northwind Traders", "Contoso Pharma", "Fabrikam Retail", "Tailspin Toys", "Wide World Importers", "Adventure Works"];
        crm.Seed(companies.Select((name, i) => new CrmFetchedRecord
        {
            ObjectType = CrmFetchObjectType.Deal,
            CrmId = $"deal-{i + 1}",
            Name = $"{name} renewal",
            Stage = i % 3 == 0 ? "closedwon" : "closedlost",
            DealStatus = i % 3 == 0 ? CrmDealStatus.ClosedWon : CrmDealStatus.ClosedLost,
            OwnerId = i % 2 == 0 ? "owner-1" : "owner-2",
            CreatedAt = now.AddDays(-90 + i),
            ModifiedAt = now.AddDays(-10 + i),
            Company = new CrmFetchedCompany { CrmId = $"company-{i + 1}", Name = name, Domain = name.Split(' ')[0].ToLowerInvariant() + ".example" },
        }));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_dailyLimitTimer is { } timer)
        {
            _dailyLimitTimer = null;
            await timer.DisposeAsync();
        }
    }

    private async Task SeedAsync(string state, CancellationToken ct)
    {
        if (state == "Setup incomplete")
        {
            await sync.CreateConnectionAsync(TenantId, ProviderName, cancellationToken: ct);
            return;
        }

        // Off the schedule: the scheduler never runs a gallery connection, so its state is what was seeded.
        var settings = new ConnectionSettings { Direction = state == "Active" ? SyncDirection.Both : SyncDirection.Send, RunOnSchedule = false };
        var connection = await sync.ConnectAsync(TenantId, ProviderName, crm.IssueTokens(), $"Gallery — {state}", settings: settings, cancellationToken: ct);
        await sync.ChooseStartingPointAsync(TenantId, connection.Id, StartingPoint.Skip, ct);
        var tag = state.Replace(' ', '-').Replace(':', '-').ToLowerInvariant();
        var contacts = Enumerable.Range(0, 5).Select(i => DemoContacts.Contact(i) is var c ? new CrmChange(CrmObjectType.Contact, $"{tag}-{c.SourceId}", c.Fields) { ConnectionId = connection.Id } : null!).ToList();
        switch (state)
        {
            case "One failed record":
                // One invalid-email record lands in the failure ledger, so this classifies as Error: the label says what it shows.
                crm.RejectRecordsWhere(w => w.ExternalId.EndsWith("0001", StringComparison.Ordinal) ? (CrmProblemType.InvalidEmail, "Property values were not valid: invalid email address.") : null);
                await sync.EnqueueAsync(TenantId, contacts, ct);
                await sync.EnqueueAsync(TenantId, new CrmChange(CrmObjectType.Email, $"{tag}-email", new Dictionary<string, string?> { [CrmFieldNames.Subject] = "Hello" }) { ContactSourceId = "never-synced", ConnectionId = connection.Id }, ct);
                await sync.SyncNowAsync(TenantId, connection.Id, ct);
                crm.RejectRecordsWhere(null);
                break;
            case "Error":
                await sync.EnqueueAsync(TenantId, contacts, ct);
                crm.FailNextCalls(3);
                for (var i = 0; i < 3; i++)
                {
                    await sync.SyncNowAsync(TenantId, connection.Id, ct);
                }

                break;
            case "Failed records":
                crm.RequireContactField("crmsync_gallery_required_field");
                await sync.EnqueueAsync(TenantId, contacts, ct);
                await sync.SyncNowAsync(TenantId, connection.Id, ct);
                crm.RejectRecordsWhere(null);
                break;
            case "Paused: expired credentials":
                await sync.EnqueueAsync(TenantId, contacts, ct);
                crm.ExpireSignIn();
                await sync.SyncNowAsync(TenantId, connection.Id, ct);
                crm.Restore();
                break;
            case "Outage":
                await sync.EnqueueAsync(TenantId, contacts, ct);
                crm.SimulateOutage(true);
                for (var i = 0; i < 3; i++)
                {
                    await sync.SyncNowAsync(TenantId, connection.Id, ct);
                }

                crm.SimulateOutage(false);
                break;
            case "Revoked":
                await sync.EnqueueAsync(TenantId, contacts, ct);
                crm.FailNextCalls(1, new CrmAuthRevokedException("The CRM refused the saved sign-in (invalid_grant): the app was uninstalled.", ProviderName));
                await sync.SyncNowAsync(TenantId, connection.Id, ct);
                break;
            default:
                await sync.EnqueueAsync(TenantId, contacts, ct);
                await sync.SyncNowAsync(TenantId, connection.Id, ct);
                await sync.SendTestContactAsync(TenantId, connection.Id, ct);
                if (state == "Active")
                {
                    // Closed-lost deals wait in the import inbox for approval.
                    await imports.StartImportAsync(CrmImportActor.Create("gallery", "admin"), TenantId, connection.Id, new CrmFetchFilter(), cancellationToken: ct);
                }

                break;
        }

        var now = time.GetUtcNow();
        switch (state)
        {
            case "Stale":
                await store.UpdateConnectionAsync(TenantId, connection.Id, c => c with { State = c.State with { LastSuccessAt = now.AddHours(-40), LastRunAt = now.AddHours(-40) } }, ct);
                break;
            case "Paused by user":
                await sync.PauseAsync(TenantId, connection.Id, ct);
                break;
            case "Paused: daily limit":
                await store.UpdateConnectionAsync(TenantId, connection.Id, c => c with { State = c.State with { AutoPauseReason = "Gallery CRM daily API limit reached; syncing resumes when it resets.", AutoPauseKind = StatusReasonKind.DailyLimit, AutoPausedUntil = NextDailyReset(now) } }, ct);
                break;
            case "Disconnected":
                await sync.DisconnectAsync(TenantId, connection.Id, ct);
                break;
        }
    }
}
