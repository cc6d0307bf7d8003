namespace CrmSync.Sdk;

/// <summary>The actor lacks a role the action needs (for example a member approving an import). Nothing was changed.</summary>
public sealed class CrmAccessDeniedException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="action">What was attempted (for example "approve import inbox items").</param>
    /// <param name="userId">Who attempted it.</param>
    /// <param name="requiredRoles">The roles that grant it.</param>
    public CrmAccessDeniedException(string action, string userId, IReadOnlyCollection<string> requiredRoles)
        : base($"User '{userId}' may not {action}: it needs one of the roles {string.Join(", ", requiredRoles ?? [])}.")
    {
        Action = action;
        UserId = userId;
        RequiredRoles = requiredRoles ?? [];
    }

    /// <summary>Gets what was attempted.</summary>
    public string Action { get; }

    /// <summary>Gets who attempted it.</summary>
    public string UserId { get; }

    /// <summary>Gets the roles that grant it.</summary>
    public IReadOnlyCollection<string> RequiredRoles { get; }
}
