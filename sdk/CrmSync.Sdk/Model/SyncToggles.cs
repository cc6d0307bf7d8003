namespace CrmSync.Sdk;

/// <summary>The "What gets synced" switches. Every object type defaults to on.</summary>
/// <param name="Contacts">Push contacts (and lead updates).</param>
/// <param name="Emails">Push email activities.</param>
/// <param name="Calls">Push call activities.</param>
/// <param name="Meetings">Push meeting activities.</param>
public sealed record SyncToggles(bool Contacts = true, bool Emails = true, bool Calls = true, bool Meetings = true)
{
    /// <summary>Gets the toggles with everything on.</summary>
    public static SyncToggles AllOn { get; } = new();

    /// <summary>Returns whether records of <paramref name="type"/> are pushed.</summary>
    /// <param name="type">The object type.</param>
    /// <returns><see langword="true"/> when the matching toggle is on.</returns>
    public bool IsEnabled(CrmObjectType type) => type switch
    {
        CrmObjectType.Contact or CrmObjectType.Lead => Contacts,
        CrmObjectType.Email => Emails,
        CrmObjectType.Call => Calls,
        CrmObjectType.Meeting => Meetings,
        _ => false,
    };
}
