using System.Globalization;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// "Send a test contact": pushes one labelled record ("{ProductName} Sync Test") through the real sync path with
/// <see cref="CrmSyncClient.SendTestContactAsync"/>, shows progress, then how long it took and a link to the record in the CRM.
/// A later click says it updated the same record rather than making a duplicate. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncTestContactButton
{
    private bool _busy;
    private TestContactResult? _result;
    private string? _error;
    private string _crmName = string.Empty;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets what happens after a test contact went through. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<TestContactResult> OnSent { get; set; }

    [Inject]
    private CrmSyncWidgetEvents Events { get; set; } = default!;

    /// <summary>Gets or sets the viewer (time zone and culture), cascaded by the host.</summary>
    [CascadingParameter]
    public CrmSyncViewer? Viewer { get; set; }

    /// <summary>How long the test took, in words like every other duration in the kit ("under a second", "12 seconds"), not "842 ms".</summary>
    private string Duration(TimeSpan elapsed) =>
        new CrmSyncTimeText(L, Viewer?.TimeZone ?? WidgetOptions.Value.TimeZone, Viewer?.Culture ?? CultureInfo.CurrentCulture).Duration(elapsed);

    private string ResultText(TestContactResult result) => result.Created
        ? L["TestContactCreated", SyncOptions.CurrentValue.ProductName, _crmName, Duration(result.Elapsed)]
        : L["TestContactUpdated", _crmName, Duration(result.Elapsed)];

    private async Task SendAsync()
    {
        _busy = true;
        _error = null;
        _result = null;
        StateHasChanged();
        try
        {
            var tenant = ResolvedTenantId;
            _crmName = (await Client.GetConnectionAsync(tenant, ConnectionId)).ProviderDisplayName;
            _result = await Client.SendTestContactAsync(tenant, ConnectionId);
            Announcer.Announce(ResultText(_result), CrmSyncTone.Success);
            await OnSent.InvokeAsync(_result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }

        await Events.NotifyConnectionChangedAsync(ConnectionId);
    }
}
