using System.Globalization;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The import wizard of the fetch direction (Connect → Import → Confirm): choose what to bring in from the CRM (closed-lost
/// deals, optionally closed-won accounts, contacts or leads; stages; owners when the CRM can list its users; a created date
/// range), Preview the count (exact or estimated) with a few sample records, then "Import N records", which runs
/// <see cref="CrmImportClient.StartImportAsync"/> into the import inbox and shows how the run ended: completed, waiting for
/// the CRM's rate limit (with the time it resumes) or failed (with the reason). Only users <see cref="CrmImportClient.CanRunImports"/>
/// allows see it; the form is disabled with an explanation when the connection cannot fetch or is send-only.
/// </summary>
public partial class CrmSyncImportWizard
{
    private static readonly char[] StageSeparators = [',', ';', '\n'];
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HashSet<string> _owners = new(StringComparer.Ordinal);
    private CrmConnection? _connection;
    private IReadOnlyList<CrmUser> _users = [];
    private bool _canRun;
    private string? _blocked;
    private CrmFetchObjectType _objectType = CrmFetchObjectType.Deal;
    private bool _includeClosedWon;
    private string _stages = string.Empty;
    private DateOnly? _createdFrom;
    private DateOnly? _createdTo;
    private bool _onlyChanges = true;
    private string? _filterError;
    private bool _dateError;
    private CrmImportPreview? _preview;
    private CrmFetchFilter? _previewFilter;
    private bool _previewIncremental;
    private CrmImportRun? _run;
    private bool _previewing;
    private bool _importing;
    private string? _error;

    /// <summary>Gets or sets the connection to import from.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets the link to the import inbox shown after an import. Defaults to <c>/crm?tab=inbox</c>; <see langword="null"/> hides it.</summary>
    [Parameter]
    public string? InboxHref { get; set; } = "/crm?tab=inbox";

    /// <summary>Gets or sets what happens after an import run returns (completed, waiting or failed). Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<CrmImportRun> OnImported { get; set; }

    private IEnumerable<(CrmFetchObjectType Kind, string Label)> Kinds =>
    [
        (CrmFetchObjectType.Deal, L["KindClosedLostDeals"]),
        (CrmFetchObjectType.Contact, L["KindContacts"]),
        (CrmFetchObjectType.Lead, L["KindLeads"]),
    ];

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        var actor = await ResolveActorAsync();
        _canRun = actor is not null && Imports.CanRunImports(actor);
        if (!_canRun)
        {
            return;
        }

        _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);
        _blocked = WhyBlocked(_connection);
        _users = [];
        if (_blocked is null && _connection.Capabilities.CanListUsers)
        {
            try
            {
                _users = await Client.GetCrmUsersAsync(ResolvedTenantId, ConnectionId);
            }
            catch (CrmSyncException)
            {
                // The owner filter is optional: when the CRM cannot list its users right now, the wizard offers the other filters.
            }
        }

        _owners.IntersectWith(_users.Select(u => u.Id));
    }

    private static string DateValue(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static string RunModifier(CrmImportRunStatus status) => status switch
    {
        CrmImportRunStatus.Completed => "completed",
        CrmImportRunStatus.Waiting => "waiting",
        CrmImportRunStatus.Failed => "failed",
        _ => "running",
    };

    private static CrmSyncIconName RunIcon(CrmImportRunStatus status) => status switch
    {
        CrmImportRunStatus.Completed => CrmSyncIconName.CheckCircle,
        CrmImportRunStatus.Waiting => CrmSyncIconName.Clock,
        CrmImportRunStatus.Failed => CrmSyncIconName.ErrorCircle,
        _ => CrmSyncIconName.Refresh,
    };

    private static DateOnly? ParseDate(ChangeEventArgs e) =>
        DateOnly.TryParseExact(e.Value?.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private string? WhyBlocked(CrmConnection connection)
    {
        var crm = connection.ProviderDisplayName;
        if (!connection.Capabilities.CanFetch)
        {
            return L["ImportNotSupported", crm];
        }

        if ((connection.Settings.Direction & SyncDirection.Fetch) == 0)
        {
            return L["ImportSendOnly", crm];
        }

        return connection.Checklist.Connected ? null : L["ImportNeedsConnection", crm].Value;
    }

    private bool Busy => _previewing || _importing;

    private RenderFragment RunText(CrmImportRun run, string crm) => run.Status switch
    {
        CrmImportRunStatus.Completed => Plain(L["RunCompleted", Number(run.Fetched), Number(run.Added), Number(run.Updated), Number(run.Unchanged), Number(run.PreviouslyRejected)]),
        CrmImportRunStatus.Waiting when run.ResumeAt is { } at => WithTime(L["RunWaiting", crm, TimeSlot, Number(run.Fetched)], at),
        CrmImportRunStatus.Waiting => Plain(L["RunWaiting", crm, L["Never"], Number(run.Fetched)]),
        _ => Plain(L["RunRunning", Number(run.Fetched)]),
    };

    private string? RunAnnouncement(CrmImportRun run) => run.Status switch
    {
        CrmImportRunStatus.Completed => L["RunCompleted", Number(run.Fetched), Number(run.Added), Number(run.Updated), Number(run.Unchanged), Number(run.PreviouslyRejected)].Value,
        CrmImportRunStatus.Failed => L["RunFailed", run.Error ?? L["UnexpectedError"]],
        _ => null,
    };

    private static RenderFragment Plain(string text) => builder => builder.AddContent(0, text);

    private string OwnerName(string? ownerId) =>
        ownerId is null ? "—" : _users.FirstOrDefault(u => u.Id == ownerId)?.Name ?? ownerId;

    private void FiltersChanged()
    {
        _preview = null;
        _previewFilter = null;
        _run = null;
        _error = null;
        _filterError = null;
        _dateError = false;
    }

    private void SetKind(CrmFetchObjectType kind)
    {
        _objectType = kind;
        FiltersChanged();
    }

    private void SetClosedWon(ChangeEventArgs e)
    {
        _includeClosedWon = e.Value is true || string.Equals(e.Value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
        FiltersChanged();
    }

    private void SetStages(ChangeEventArgs e)
    {
        _stages = e.Value?.ToString() ?? string.Empty;
        FiltersChanged();
    }

    private void SetOwner(string ownerId, ChangeEventArgs e)
    {
        if (e.Value is true || string.Equals(e.Value?.ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            _owners.Add(ownerId);
        }
        else
        {
            _owners.Remove(ownerId);
        }

        FiltersChanged();
    }

    private void SetCreatedFrom(ChangeEventArgs e)
    {
        _createdFrom = ParseDate(e);
        FiltersChanged();
    }

    private void SetCreatedTo(ChangeEventArgs e)
    {
        _createdTo = ParseDate(e);
        FiltersChanged();
    }

    private void SetOnlyChanges(ChangeEventArgs e)
    {
        _onlyChanges = e.Value is true || string.Equals(e.Value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
        FiltersChanged();
    }

    private DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, WidgetOptions.Value.TimeZone.GetUtcOffset(local));
    }

    private CrmFetchFilter BuildFilter() => new()
    {
        ObjectType = _objectType,
        DealStatuses = _includeClosedWon ? [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] : [CrmDealStatus.ClosedLost],
        Stages = _stages.Split(StageSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        OwnerIds = _owners.Order(StringComparer.Ordinal).ToList(),
        CreatedFrom = _createdFrom is { } from ? StartOfDay(from) : null,
        CreatedBefore = _createdTo is { } to ? StartOfDay(to.AddDays(1)) : null,
    };

    private async Task PreviewAsync()
    {
        FiltersChanged();
        if (_createdFrom is { } from && _createdTo is { } to && from > to)
        {
            _dateError = true;
            _filterError = L["DateRangeInvalid"];
            return;
        }

        var filter = BuildFilter();
        if (filter.Validate() is { Count: > 0 } problems)
        {
            _filterError = string.Join(" ", problems.Select(p => p.Message));
            return;
        }

        _previewing = true;
        _error = null;
        StateHasChanged();
        try
        {
            _preview = await Imports.PreviewImportAsync(Actor!, ResolvedTenantId, ConnectionId, filter, _onlyChanges);
            _previewFilter = filter;
            _previewIncremental = _onlyChanges;
            Announcer.Announce(_preview.IsExact ? Plural("PreviewCount", _preview.Count, Number(_preview.Count)) : L["PreviewCountEstimate", Number(_preview.Count), _connection?.ProviderDisplayName ?? string.Empty], CrmSyncTone.Info);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _previewing = false;
        }
    }

    private async Task ImportAsync()
    {
        if (_previewFilter is null)
        {
            return;
        }

        _importing = true;
        _error = null;
        StateHasChanged();
        try
        {
            _run = await Imports.StartImportAsync(Actor!, ResolvedTenantId, ConnectionId, _previewFilter, _previewIncremental);
            if (RunAnnouncement(_run) is { } announcement)
            {
                Announcer.Announce(announcement, _run.Status == CrmImportRunStatus.Failed ? CrmSyncTone.Danger : CrmSyncTone.Success);
            }

            _preview = null;
            _previewFilter = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _importing = false;
        }

        if (_run is not null)
        {
            await NotifyChangedAsync(ConnectionId);
            await OnImported.InvokeAsync(_run);
        }
    }
}
