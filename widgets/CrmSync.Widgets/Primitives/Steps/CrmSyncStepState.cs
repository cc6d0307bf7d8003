namespace CrmSync.Widgets;

/// <summary>The state of a <see cref="CrmSyncStep"/>.</summary>
public enum CrmSyncStepState
{
    /// <summary>Not reached yet.</summary>
    Todo,

    /// <summary>The step to do now.</summary>
    Current,

    /// <summary>Done.</summary>
    Done,
}
