using System.Globalization;
using System.Text.RegularExpressions;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The field mapping editor: each CRM field gets its value from a host field, a <c>{{template}}</c> such as <c>{{name}} ({{email}})</c>,
/// or a fixed value such as a lead source. Saved with <see cref="CrmSyncClient.SaveFieldMappingAsync"/>; the errors of a rejected
/// mapping (<see cref="CrmValidationException"/>) are shown inline next to the entry they name, and nothing is saved.
/// Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncFieldMappingEditor
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private List<Row> _rows = [];
    private List<string> _generalErrors = [];
    private string _externalIdField = FieldMapping.DefaultExternalIdField;
    private IReadOnlyList<CrmFieldInfo> _crmFields = [];
    private string _crmName = string.Empty;
    private bool _crmFieldsUnavailable;
    private Guid _loadedFor;
    private bool _busy;
    private bool _saved;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets what happens after the mapping was saved. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<FieldMapping> OnSaved { get; set; }

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => false;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        if (_loadedFor == ConnectionId && IsLoaded)
        {
            // Keep unsaved edits across re-renders of the parent.
            return;
        }

        var connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);
        _externalIdField = connection.Settings.Mapping.ExternalIdField;
        _crmName = connection.ProviderDisplayName;
        _rows = connection.Settings.Mapping.Entries.Select(e => new Row { CrmField = e.CrmField, Kind = e.Kind, Value = e.Value }).ToList();
        _loadedFor = ConnectionId;
        await LoadCrmFieldsAsync(connection);
    }

    /// <summary>The CRM's writable contact fields for the picker; typing a name still works when the CRM cannot be asked.</summary>
    private async Task LoadCrmFieldsAsync(CrmConnection connection)
    {
        _crmFieldsUnavailable = false;
        if (!connection.Checklist.Connected)
        {
            _crmFields = [];
            return;
        }

        try
        {
            _crmFields = [.. (await Client.GetCrmFieldsAsync(ResolvedTenantId, ConnectionId, CrmObjectType.Contact)).Where(f => f.Writable && !string.Equals(f.Name, _externalIdField, StringComparison.OrdinalIgnoreCase))];
        }
        catch (Exception ex) when (ex is CrmSyncException or HttpRequestException)
        {
            _crmFields = [];
            _crmFieldsUnavailable = true;
        }
    }

    private CrmFieldInfo? FieldOf(string crmField) =>
        string.IsNullOrWhiteSpace(crmField)
            ? null
            : _crmFields.FirstOrDefault(f => string.Equals(f.Name, crmField.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? _crmFields.FirstOrDefault(f => string.Equals(f.Label, crmField.Trim(), StringComparison.OrdinalIgnoreCase));

    private string TypeName(CrmFieldType type) => L["FieldType" + type];

    private ICollection<string>? KnownSourceFields => SyncOptions.CurrentValue.KnownSourceFields;

    private string ValueLabel(FieldMappingKind kind) => kind switch
    {
        FieldMappingKind.Template => L["TemplateLabel"],
        FieldMappingKind.FixedValue => L["FixedValueLabel"],
        _ => L["SourceFieldLabel"],
    };

    private string ValuePlaceholder(FieldMappingKind kind) => kind switch
    {
        FieldMappingKind.Template => "{{name}} ({{email}})",
        FieldMappingKind.FixedValue => SyncOptions.CurrentValue.ProductName,
        _ => "email",
    };

    private void Add()
    {
        _saved = false;
        _rows.Add(new Row());
    }

    private void Remove(int index)
    {
        _saved = false;
        _rows.RemoveAt(index);
        foreach (var row in _rows)
        {
            row.Errors.Clear();
        }
    }

    private async Task SaveAsync()
    {
        _busy = true;
        _saved = false;
        StateHasChanged();
        _generalErrors = [];
        foreach (var row in _rows)
        {
            row.Errors.Clear();
        }

        try
        {
            var mapping = new FieldMapping
            {
                ExternalIdField = _externalIdField,
                Entries = _rows.Select(r => new FieldMappingEntry(r.CrmField.Trim(), r.Kind, r.Kind == FieldMappingKind.FixedValue ? r.Value : r.Value.Trim())).ToList(),
            };
            var saved = await Client.SaveFieldMappingAsync(ResolvedTenantId, ConnectionId, mapping);

            // Fields chosen by their label are saved under the CRM's API name: show what was saved.
            var entries = saved.Settings.Mapping.Entries;
            for (var i = 0; i < _rows.Count && i < entries.Count; i++)
            {
                _rows[i].CrmField = entries[i].CrmField;
            }

            _saved = true;
            Announcer.Announce(L["MappingSaved"], CrmSyncTone.Success);
            await OnSaved.InvokeAsync(mapping);
        }
        catch (CrmValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                if (RowIndex(error.Path) is { } index && index < _rows.Count)
                {
                    _rows[index].Errors.Add(error.Message);
                }
                else
                {
                    _generalErrors.Add(error.Message);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _generalErrors.Add(ErrorText(ex));
        }
        finally
        {
            _busy = false;
        }

        if (_saved)
        {
            await NotifyChangedAsync(ConnectionId);
        }
    }

    private static int? RowIndex(string path)
    {
        var match = EntryPath().Match(path);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^Entries\[(\d+)\]")]
    private static partial Regex EntryPath();

    private sealed class Row
    {
        public string CrmField { get; set; } = string.Empty;

        public FieldMappingKind Kind { get; set; } = FieldMappingKind.SourceField;

        public string Value { get; set; } = string.Empty;

        public List<string> Errors { get; } = [];
    }
}
