using System.Globalization;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The import inbox (the <c>/crm?tab=inbox</c> tab): records imported from the CRM wait here until a manager or admin approves
/// or rejects them, one by one or all at once after a confirmation. Shows the pending, approved and rejected counts, lists the
/// pending items (name, type, stage, company, owner, fetched time) with keyset "Load more" paging, and reports when the host's
/// <see cref="ICrmImportSink"/> failed to receive approved records. Needs <see cref="CrmSyncPolicies.ApproveImports"/> and
/// <see cref="CrmImportClient.CanApprove"/>; anyone else is asked to have a manager or admin review the records.
/// </summary>
public partial class CrmSyncImportInbox
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<Guid, IReadOnlyDictionary<string, string>> _ownerNames = [];
    private List<CrmInboxItem> _items = [];
    private CrmInboxCounts? _counts;
    private bool _canApprove;
    private bool _hasMore;
    private CrmInboxItemState? _confirming;
    private CrmInboxItem? _confirmingItem;
    private CrmInboxItemState? _lastDecision;
    private bool _busy;
    private string? _message;
    private bool _failed;
    private string? _deliveryError;

    /// <summary>Gets or sets the connection whose items are listed. Defaults to none: every connection of the tenant.</summary>
    [Parameter]
    public Guid? ConnectionId { get; set; }

    /// <summary>Gets or sets how many items are listed at first and added by each "Load more". Defaults to 50.</summary>
    [Parameter]
    public int PageSize { get; set; } = 50;

    /// <summary>Gets or sets what happens after items were approved or rejected; receives the result. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<CrmInboxDecisionResult> OnDecided { get; set; }

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => ConnectionId is null || connectionId == ConnectionId || connectionId == Guid.Empty;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PageSize);
        var actor = await ResolveActorAsync();
        _counts = null;
        _canApprove = actor is not null && Imports.CanApprove(actor) && await IsAllowedAsync(CrmSyncPolicies.ApproveImports);
        if (actor is null || !(_canApprove || Imports.CanRunImports(actor)))
        {
            // Members may not even read the inbox: they only see the "ask a manager" note.
            _items = [];
            return;
        }

        _counts = await Imports.CountInboxAsync(actor, ResolvedTenantId, ConnectionId);
        if (!_canApprove)
        {
            _items = [];
            return;
        }

        var keep = Math.Max(PageSize, _items.Count);
        var page = await Imports.GetInboxAsync(actor, ResolvedTenantId, new CrmInboxQuery { ConnectionId = ConnectionId, Limit = keep + 1 });
        _hasMore = page.Count > keep;
        _items = page.Take(keep).ToList();
        await LoadOwnersAsync(_items);
    }

    private string AskText => _counts is { Pending: > 0 } waiting
        ? $"{L["InboxWaitingForReview", Number(waiting.Pending)]} {L["AskManagerToReview"]}"
        : L["AskManagerToReview"];

    private static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private string TypeText(CrmFetchedRecord record) => record.ObjectType switch
    {
        CrmFetchObjectType.Contact => L["TypeContact"],
        CrmFetchObjectType.Lead => L["TypeLead"],
        _ => record.DealStatus switch
        {
            CrmDealStatus.ClosedWon => L["TypeDealClosedWon"],
            CrmDealStatus.Open => L["TypeDealOpen"],
            _ => L["TypeDealClosedLost"],
        },
    };

    private string OwnerName(CrmInboxItem item) =>
        item.Record.OwnerId is not { } owner ? "—"
        : _ownerNames.TryGetValue(item.ConnectionId, out var names) && names.TryGetValue(owner, out var name) ? name
        : owner;

    private async Task LoadOwnersAsync(IEnumerable<CrmInboxItem> items)
    {
        foreach (var connectionId in items.Select(i => i.ConnectionId).Distinct().Where(id => !_ownerNames.ContainsKey(id)).ToList())
        {
            IReadOnlyDictionary<string, string> names = new Dictionary<string, string>();
            try
            {
                var connection = await Client.GetConnectionAsync(ResolvedTenantId, connectionId);
                if (connection.Capabilities.CanListUsers && connection.Checklist.Connected)
                {
                    names = (await Client.GetCrmUsersAsync(ResolvedTenantId, connectionId)).ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal);
                }
            }
            catch (Exception ex) when (ex is CrmSyncException or KeyNotFoundException)
            {
                // Owner names are a nicety: without them the inbox shows the CRM's owner ids.
            }

            _ownerNames[connectionId] = names;
        }
    }

    private async Task LoadMoreAsync()
    {
        if (_items.Count == 0 || Actor is null)
        {
            return;
        }

        _busy = true;
        try
        {
            var page = await Imports.GetInboxAsync(Actor, ResolvedTenantId, new CrmInboxQuery { ConnectionId = ConnectionId, AfterId = _items[^1].Id, Limit = PageSize + 1 });
            _hasMore = page.Count > PageSize;
            var added = page.Take(PageSize).ToList();
            _items.AddRange(added);
            await LoadOwnersAsync(added);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }
    }

    private string ConfirmQuestion => (_confirming, _confirmingItem) switch
    {
        (CrmInboxItemState.Rejected, { } item) => L["ConfirmRejectOne", item.Record.Name ?? item.Record.CrmId],
        (CrmInboxItemState.Approved, _) => Plural("ConfirmApproveAll", _counts?.Pending ?? _items.Count, Number(_counts?.Pending ?? _items.Count), SyncOptions.CurrentValue.ProductName),
        _ => L["ConfirmRejectAll", Number(_counts?.Pending ?? _items.Count)],
    };

    private string ConfirmText => (_confirming, _confirmingItem) switch
    {
        (CrmInboxItemState.Rejected, not null) => L["Reject"],
        (CrmInboxItemState.Approved, _) => L["YesApproveAll"],
        _ => L["YesRejectAll"],
    };

    // Rejecting is remembered for good, so one record or all of them is confirmed first; approving one record is not.
    private void Confirm(CrmInboxItemState decision, CrmInboxItem? item)
    {
        _confirming = decision;
        _confirmingItem = item;
    }

    private void CancelConfirm()
    {
        _confirming = null;
        _confirmingItem = null;
    }

    private Task ConfirmAsync() => (_confirming, _confirmingItem) switch
    {
        ({ } decision, { } item) => DecideAsync(item, decision),
        ({ } decision, null) => DecideAllAsync(decision),
        _ => Task.CompletedTask,
    };

    private Task DecideAsync(CrmInboxItem item, CrmInboxItemState decision) =>
        RunDecisionAsync(decision, false, actor => decision == CrmInboxItemState.Approved
            ? Imports.ApproveAsync(actor, ResolvedTenantId, [item.Id])
            : Imports.RejectAsync(actor, ResolvedTenantId, [item.Id]));

    private Task DecideAllAsync(CrmInboxItemState decision) =>
        RunDecisionAsync(decision, true, actor => decision == CrmInboxItemState.Approved
            ? Imports.ApproveAllAsync(actor, ResolvedTenantId, ConnectionId)
            : Imports.RejectAllAsync(actor, ResolvedTenantId, ConnectionId));

    private async Task RunDecisionAsync(CrmInboxItemState decision, bool all, Func<CrmImportActor, Task<CrmInboxDecisionResult>> call)
    {
        if (Actor is null)
        {
            return;
        }

        _busy = true;
        _lastDecision = decision;
        CrmInboxDecisionResult? result = null;
        try
        {
            result = await call(Actor);
            _deliveryError = result.DeliveryError;
            _failed = false;
            _message = decision == CrmInboxItemState.Approved
                ? Plural("InboxApproved", result.Decided, Number(result.Decided), Number(result.Delivered), SyncOptions.CurrentValue.ProductName)
                : Plural("InboxRejected", result.Decided, Number(result.Decided));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
            _confirming = null;
            _confirmingItem = null;
        }

        if (_message is not null && !_failed)
        {
            Announcer.Announce(_message, decision == CrmInboxItemState.Approved ? CrmSyncTone.Success : CrmSyncTone.Neutral);
        }

        if (all)
        {
            _items = [];
        }

        await ReloadAsync();
        if (result is not null)
        {
            await NotifyChangedAsync(ConnectionId ?? Guid.Empty);
            await OnDecided.InvokeAsync(result);
        }
    }

    private async Task DeliverAsync()
    {
        _busy = true;
        try
        {
            var result = await Imports.DeliverApprovedAsync(ResolvedTenantId, ConnectionId);
            _deliveryError = result.DeliveryError;
            _failed = result.DeliveryError is not null;
            _message = _failed ? null : L["InboxDelivered", Number(result.Delivered), SyncOptions.CurrentValue.ProductName].Value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }

        await ReloadAsync();
    }
}
