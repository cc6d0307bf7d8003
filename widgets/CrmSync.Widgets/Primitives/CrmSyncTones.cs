namespace CrmSync.Widgets;

/// <summary>Maps SDK facts onto <see cref="CrmSyncTone"/>s and tone CSS class names, so every widget colours the same fact the same way.</summary>
public static class CrmSyncTones
{
    /// <summary>Gets the CSS modifier of a tone (<c>neutral</c>, <c>info</c>, <c>success</c>, <c>warning</c>, <c>danger</c>).</summary>
    /// <param name="tone">The tone.</param>
    /// <returns>The modifier.</returns>
    public static string Css(CrmSyncTone tone) => tone switch
    {
        CrmSyncTone.Info => "info",
        CrmSyncTone.Success => "success",
        CrmSyncTone.Warning => "warning",
        CrmSyncTone.Danger => "danger",
        _ => "neutral",
    };

    /// <summary>Gets the tone of a connection health: green is success, amber warning, red danger, unknown neutral.</summary>
    /// <param name="health">The health.</param>
    /// <returns>The tone.</returns>
    public static CrmSyncTone Of(CrmSync.Sdk.ConnectionHealth health) => health switch
    {
        CrmSync.Sdk.ConnectionHealth.Green => CrmSyncTone.Success,
        CrmSync.Sdk.ConnectionHealth.Amber => CrmSyncTone.Warning,
        CrmSync.Sdk.ConnectionHealth.Red => CrmSyncTone.Danger,
        _ => CrmSyncTone.Neutral,
    };

    /// <summary>Gets the tone of a sync log outcome: success, warning (a wait or a partial run), error danger.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The tone.</returns>
    public static CrmSyncTone Of(CrmSync.Sdk.SyncLogOutcome outcome) => outcome switch
    {
        CrmSync.Sdk.SyncLogOutcome.Error => CrmSyncTone.Danger,
        CrmSync.Sdk.SyncLogOutcome.Warning => CrmSyncTone.Warning,
        _ => CrmSyncTone.Success,
    };
}
