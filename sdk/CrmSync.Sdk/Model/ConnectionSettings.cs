namespace CrmSync.Sdk;

/// <summary>What a connection syncs and how often. Immutable: change it with <c>with</c> and save it through <see cref="CrmSyncClient.UpdateSettingsAsync"/>.</summary>
public sealed record ConnectionSettings
{
    /// <summary>The default schedule interval: five minutes.</summary>
    public static readonly TimeSpan DefaultScheduleInterval = TimeSpan.FromMinutes(5);

    /// <summary>Gets the direction guard. Defaults to <see cref="SyncDirection.Send"/>.</summary>
    public SyncDirection Direction { get; init; } = SyncDirection.Send;

    /// <summary>Gets the object toggles. Defaults to all on.</summary>
    public SyncToggles Toggles { get; init; } = SyncToggles.AllOn;

    /// <summary>Gets how often the scheduler syncs this connection. Defaults to 5 minutes; must be between 1 minute and 24 hours.</summary>
    public TimeSpan ScheduleInterval { get; init; } = DefaultScheduleInterval;

    /// <summary>
    /// Gets whether the scheduler syncs this connection every <see cref="ScheduleInterval"/>. Defaults to <see langword="true"/>.
    /// When <see langword="false"/> the connection syncs only when asked (Sync now, Retry, Try resync) and widgets show its
    /// next sync as "Not scheduled"; its status facts stay as the last run left them (a showcase or a hand-driven connection).
    /// </summary>
    public bool RunOnSchedule { get; init; } = true;

    /// <summary>Gets the CRM user id that records created by CrmSync are assigned to. Applied on create only, never on update. Defaults to none (the CRM's own assignment rules).</summary>
    public string? DefaultOwnerId { get; init; }

    /// <summary>Gets the field mapping. Defaults to <see cref="FieldMapping.Empty"/>.</summary>
    public FieldMapping Mapping { get; init; } = FieldMapping.Empty;

    /// <summary>Gets provider-specific settings, such as the Salesforce object (<c>Lead</c> or <c>Contact</c>). Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string> ProviderSettings { get; init; } = new Dictionary<string, string>();
}
