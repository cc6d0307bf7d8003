using System.Globalization;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The import-health bar: the share of records synced over recent syncs, green / amber / red by the thresholds of
/// <see cref="StatusRules"/>, with the rule spelled out in the tooltip (and optionally below the bar).
/// </summary>
public partial class CrmSyncHealthBar
{
    /// <summary>Gets or sets the success rate from 0 to 1, usually <c>connection.Status.SuccessRate</c>; <see langword="null"/> when nothing was attempted yet.</summary>
    [Parameter, EditorRequired]
    public double? SuccessRate { get; set; }

    /// <summary>Gets or sets the colour of the rate, usually <c>connection.Status.SuccessRateHealth</c>.</summary>
    [Parameter, EditorRequired]
    public ConnectionHealth SuccessRateHealth { get; set; }

    /// <summary>Gets or sets the label above the bar. Defaults to "Import health".</summary>
    [Parameter]
    public string? Label { get; set; }

    /// <summary>Gets or sets whether the colour rule is shown as text below the bar as well as in the tooltip. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool ShowRule { get; set; }

    private string Tone => SuccessRateHealth switch
    {
        ConnectionHealth.Green => "green",
        ConnectionHealth.Amber => "amber",
        ConnectionHealth.Red => "red",
        _ => "neutral",
    };

    private CrmSyncIconName Icon => SuccessRateHealth switch
    {
        ConnectionHealth.Green => CrmSyncIconName.CheckCircle,
        ConnectionHealth.Amber => CrmSyncIconName.Warning,
        ConnectionHealth.Red => CrmSyncIconName.ErrorCircle,
        _ => CrmSyncIconName.Circle,
    };

    private string ValueText => SuccessRate is { } rate
        ? L["SuccessRateValue", Percent(rate)]
        : L["SuccessRateNone"];


    private string Rule
    {
        get
        {
            var rules = SyncOptions.CurrentValue.Status;
            return L["SuccessRateRule", Percent(rules.GreenSuccessRate), Percent(rules.AmberSuccessRate), rules.SuccessRateRuns];
        }
    }

    private static string Percent(double rate) => Math.Round(rate * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
}
