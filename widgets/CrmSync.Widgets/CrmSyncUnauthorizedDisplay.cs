namespace CrmSync.Widgets;

/// <summary>What a widget shows to a user the policy does not allow.</summary>
public enum CrmSyncUnauthorizedDisplay
{
    /// <summary>A short "Ask an admin to …" note.</summary>
    AskAnAdmin = 0,

    /// <summary>Nothing at all.</summary>
    Nothing = 1,
}
