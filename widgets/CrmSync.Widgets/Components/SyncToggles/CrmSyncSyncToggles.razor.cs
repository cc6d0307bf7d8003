using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// "What gets synced": four switches for contacts, emails, calls and meetings (default on), saved at once through
/// <see cref="CrmSyncClient.UpdateSettingsAsync"/>. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncSyncToggles
{
    private CrmConnection? _connection;
    private bool _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);

    private static IEnumerable<(string Key, bool On)> Items(SyncToggles t)
    {
        yield return ("Contacts", t.Contacts);
        yield return ("Emails", t.Emails);
        yield return ("Calls", t.Calls);
        yield return ("Meetings", t.Meetings);
    }

    private async Task ToggleAsync(string key, ChangeEventArgs e)
    {
        var on = e.Value is true || (e.Value is string s && bool.TryParse(s, out var parsed) && parsed);
        _busy = true;
        try
        {
            _connection = await Client.UpdateSettingsAsync(ResolvedTenantId, ConnectionId, settings => settings with
            {
                Toggles = key switch
                {
                    "Contacts" => settings.Toggles with { Contacts = on },
                    "Emails" => settings.Toggles with { Emails = on },
                    "Calls" => settings.Toggles with { Calls = on },
                    _ => settings.Toggles with { Meetings = on },
                },
            });
            _failed = false;
            _message = L[on ? "ToggleOnSaved" : "ToggleOffSaved", L[$"Toggle{key}"]];
            Announcer.Announce(_message, CrmSyncTone.Success);
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

        await NotifyChangedAsync(ConnectionId);
    }
}
