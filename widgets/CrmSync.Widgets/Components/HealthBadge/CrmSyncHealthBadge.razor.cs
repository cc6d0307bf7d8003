using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The health badge of a connection: green (syncing normally), amber (completed with warnings, for example skipped records),
/// red (sync failed, action required) or grey (no sync yet). The rule is spelled out in the tooltip.
/// </summary>
public partial class CrmSyncHealthBadge
{
    /// <summary>Gets or sets the health to show, usually <c>connection.Status.Health</c>.</summary>
    [Parameter, EditorRequired]
    public ConnectionHealth Health { get; set; }

    private string Tone => Health switch
    {
        ConnectionHealth.Green => "green",
        ConnectionHealth.Amber => "amber",
        ConnectionHealth.Red => "red",
        _ => "neutral",
    };

    private CrmSyncIconName Icon => Health switch
    {
        ConnectionHealth.Green => CrmSyncIconName.CheckCircle,
        ConnectionHealth.Amber => CrmSyncIconName.Warning,
        ConnectionHealth.Red => CrmSyncIconName.ErrorCircle,
        _ => CrmSyncIconName.Circle,
    };

    private string Label => Health switch
    {
        ConnectionHealth.Green => L["HealthGreen"],
        ConnectionHealth.Amber => L["HealthAmber"],
        ConnectionHealth.Red => L["HealthRed"],
        _ => L["HealthUnknown"],
    };
}
