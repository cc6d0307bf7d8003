namespace CrmSync.Sdk;

/// <summary>The one-time choice made right after connecting: import existing records or start fresh.</summary>
public enum StartingPoint
{
    /// <summary>Not chosen yet: the connection is still in setup.</summary>
    NotChosen = 0,

    /// <summary>Push every existing host contact into the CRM now.</summary>
    ImportExisting = 1,

    /// <summary>Only sync new activity from now on. Reversible with "resync existing".</summary>
    Skip = 2,
}
