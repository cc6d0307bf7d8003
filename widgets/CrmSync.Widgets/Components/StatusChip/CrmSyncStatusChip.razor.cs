using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The status chip of a connection: Active, Paused (with the reason), Stale, Error (with the last error),
/// Disconnected (a revoked sign-in, with the reason, or a user's disconnect) and Setup incomplete.
/// Text, icon shape and colour all say the same thing. Hosts set their own words in <see cref="CrmSyncOptions.StatusLabels"/>
/// (for example "Failed Sync" for Error, as note 004 says).
/// </summary>
public partial class CrmSyncStatusChip
{
    /// <summary>Gets or sets the derived status to show, usually <c>connection.Status</c>.</summary>
    [Parameter, EditorRequired]
    public ConnectionStatusReport Status { get; set; } = default!;

    /// <summary>Gets or sets whether the reason (pause reason, last error, revocation reason) is shown next to the chip. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool ShowReason { get; set; } = true;

    private string Modifier => Status.Status switch
    {
        ConnectionStatus.Active => "active",
        ConnectionStatus.Paused => "paused",
        ConnectionStatus.Stale => "stale",
        ConnectionStatus.Error => "error",
        ConnectionStatus.Revoked => "revoked",
        ConnectionStatus.Disconnected => "disconnected",
        _ => "setup-incomplete",
    };

    private string Tone => Status.Status switch
    {
        ConnectionStatus.Active => "green",
        ConnectionStatus.Stale => "amber",
        ConnectionStatus.Paused => Status.Health == ConnectionHealth.Amber ? "amber" : "neutral",
        ConnectionStatus.Error or ConnectionStatus.Revoked => "red",
        _ => "neutral",
    };

    private CrmSyncTone PillTone => Tone switch
    {
        "green" => CrmSyncTone.Success,
        "amber" => CrmSyncTone.Warning,
        "red" => CrmSyncTone.Danger,
        _ => CrmSyncTone.Neutral,
    };

    private CrmSyncIconName Icon => Status.Status switch
    {
        ConnectionStatus.Active => CrmSyncIconName.CheckCircle,
        ConnectionStatus.Paused => CrmSyncIconName.Pause,
        ConnectionStatus.Stale => CrmSyncIconName.Clock,
        ConnectionStatus.Error => CrmSyncIconName.Warning,
        ConnectionStatus.Revoked => CrmSyncIconName.Ban,
        ConnectionStatus.Disconnected => CrmSyncIconName.Circle,
        _ => CrmSyncIconName.CircleDashed,
    };

    private string Label => StatusLabel(Status.Status);

    /// <inheritdoc />
    protected override void OnParametersSet() => ArgumentNullException.ThrowIfNull(Status);
}
