using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The lead-source setup tracker: for one integration (<see cref="IntegrationId"/>) or every integration of the tenant, the
/// status chip (Setup Incomplete, Active, Paused with its reason, Failed Sync with the time of the automatic retry), the
/// expected source value, the setup steps (a test lead with exactly that value arrived; setup completed), the last wrong
/// value as "received X, expected Y", and "Complete setup", enabled only once a matching test lead arrived. Completing needs
/// a role <see cref="CrmImportClient.CanRunImports"/> allows (the lead-source operators); others are asked to have an admin do it.
/// Reads through <see cref="CrmLeadSourceClient"/> and reloads every <see cref="CrmSyncWidgetOptions.RefreshInterval"/>, as leads arrive.
/// </summary>
public partial class CrmSyncLeadSourceTracker
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<Guid, (string Text, bool Failed)> _messages = [];
    private IReadOnlyList<LeadSourceIntegration> _integrations = [];
    private bool _canManage;
    private Guid? _busy;

    /// <summary>Gets or sets the integration to show. Defaults to none: every lead-source integration of the tenant.</summary>
    [Parameter]
    public Guid? IntegrationId { get; set; }

    /// <summary>Gets or sets what happens after setup was completed; receives the integration, now Active. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<LeadSourceIntegration> OnSetupCompleted { get; set; }

    /// <summary>Gets or sets the lead-source client.</summary>
    [Inject]
    protected CrmLeadSourceClient LeadSources { get; set; } = default!;

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        var actor = await ResolveActorAsync();
        _canManage = actor is not null && Imports.CanRunImports(actor);
        _integrations = IntegrationId is { } id
            ? [await LeadSources.GetAsync(ResolvedTenantId, id)]
            : await LeadSources.GetAllAsync(ResolvedTenantId);
    }

    private static string Modifier(LeadSourceStatus status) => status switch
    {
        LeadSourceStatus.Active => "active",
        LeadSourceStatus.Paused => "paused",
        LeadSourceStatus.FailedSync => "failed-sync",
        _ => "setup-incomplete",
    };

    private static CrmSyncTone Tone(LeadSourceStatus status) => status switch
    {
        LeadSourceStatus.Active => CrmSyncTone.Success,
        LeadSourceStatus.Paused => CrmSyncTone.Warning,
        LeadSourceStatus.FailedSync => CrmSyncTone.Danger,
        _ => CrmSyncTone.Info,
    };

    private static string ToneName(LeadSourceStatus status) => status switch
    {
        LeadSourceStatus.Active => "green",
        LeadSourceStatus.Paused => "amber",
        LeadSourceStatus.FailedSync => "red",
        _ => "neutral",
    };

    private static CrmSyncIconName Icon(LeadSourceStatus status) => status switch
    {
        LeadSourceStatus.Active => CrmSyncIconName.CheckCircle,
        LeadSourceStatus.Paused => CrmSyncIconName.Pause,
        LeadSourceStatus.FailedSync => CrmSyncIconName.Warning,
        _ => CrmSyncIconName.CircleDashed,
    };

    private static int CurrentStep(LeadSourceIntegration s) => !s.Setup.TestLeadMatched ? 1 : !s.Setup.Completed ? 2 : 0;

    private string Label(LeadSourceStatus status) => status switch
    {
        LeadSourceStatus.Active => L["LeadStatusActive"],
        LeadSourceStatus.Paused => L["LeadStatusPaused"],
        LeadSourceStatus.FailedSync => L["LeadStatusFailedSync"],
        _ => L["LeadStatusSetupIncomplete"],
    };

    private static RenderFragment Text(string text) => builder => builder.AddContent(0, text);

    private RenderFragment? Reason(LeadSourceIntegration s) => s.Status switch
    {
        LeadSourceStatus.Paused => Text(s.PauseReason == LeadSourcePauseReason.ExpiredCredentials ? L["LeadPausedExpiredCredentials"] : L["LeadPausedManually"]),
        LeadSourceStatus.FailedSync => s.NextRetryAt is { } at ? WithTime(L["LeadFailedSyncRetrying", TimeSlot], at) : Text(L["LeadFailedSyncRetryingSoon"]),
        _ => null,
    };

    private IEnumerable<(int Number, bool Done, string Label, RenderFragment? Detail)> Steps(LeadSourceIntegration s)
    {
        yield return (1, s.Setup.TestLeadMatched, L["LeadStepTestLead"], s.Setup.TestLeadReceivedAt is { } received ? WithTime(L["LeadStepTestLeadDone", TimeSlot], received) : null);
        yield return (2, s.Setup.Completed, L["LeadStepComplete"], s.Setup.CompletedAt is { } completed ? WithTime(L["LeadStepCompleteDone", TimeSlot, s.Setup.CompletedBy ?? "—"], completed) : null);
    }

    private async Task CompleteAsync(LeadSourceIntegration integration)
    {
        if (Actor is null)
        {
            return;
        }

        _busy = integration.Id;
        _messages.Remove(integration.Id);
        StateHasChanged();
        LeadSourceTransition? transition = null;
        try
        {
            transition = await LeadSources.CompleteSetupAsync(Actor, ResolvedTenantId, integration.Id);
            _messages[integration.Id] = transition.Accepted
                ? (L["LeadSetupCompleted", integration.Name], false)
                : (transition.Rejection ?? L["UnexpectedError"], true);
            if (transition.Accepted)
            {
                Announcer.Announce(_messages[integration.Id].Text, CrmSyncTone.Success);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _messages[integration.Id] = (ErrorText(ex), true);
        }
        finally
        {
            _busy = null;
        }

        await ReloadAsync();
        if (transition is { Accepted: true })
        {
            await OnSetupCompleted.InvokeAsync(transition.Integration);
        }
    }
}
