using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The guided setup checklist of a connection: connect the CRM, choose your starting point, review your field mapping (with Open Field
/// Mapping) and send a test contact. Done steps are checked, the current step is highlighted, and when all four are done it says
/// "Setup complete". The X dismisses it for good (<see cref="CrmSyncClient.DismissSetupChecklistAsync"/>), so it stays hidden on future
/// visits. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncSetupChecklist
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private bool _busy;
    private string? _error;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets what Open Field Mapping does (for example switch to the Field Mapping tab). Takes precedence over <see cref="FieldMappingHref"/>.</summary>
    [Parameter]
    public EventCallback<CrmConnection> OnOpenFieldMapping { get; set; }

    /// <summary>
    /// Gets or sets the link of Open Field Mapping when <see cref="OnOpenFieldMapping"/> is not set; <c>{provider}</c> and <c>{connectionId}</c>
    /// are replaced. Defaults to none (no button).
    /// </summary>
    [Parameter]
    public string? FieldMappingHref { get; set; }

    /// <summary>Gets or sets what happens after the guide was dismissed. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback OnDismissed { get; set; }

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);

    private IEnumerable<(int Number, bool Done, string Label)> Steps(SetupChecklist checklist)
    {
        yield return (1, checklist.Connected, L["StepConnect", _connection!.ProviderDisplayName]);
        yield return (2, checklist.StartingPointChosen, L["StepStartingPoint"]);
        yield return (3, checklist.MappingReviewed, L["StepFieldMapping"]);
        yield return (4, checklist.TestContactSent, L["StepTestContact"]);
    }

    private Task OpenFieldMappingAsync() => OnOpenFieldMapping.InvokeAsync(_connection);

    private async Task DismissAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            _connection = await Client.DismissSetupChecklistAsync(ResolvedTenantId, ConnectionId);
            await OnDismissed.InvokeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }
    }
}
