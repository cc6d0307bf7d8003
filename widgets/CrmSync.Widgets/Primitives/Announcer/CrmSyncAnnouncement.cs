namespace CrmSync.Widgets;

/// <summary>One message of the <see cref="CrmSyncAnnouncer"/>.</summary>
/// <param name="Id">Its id, to dismiss it.</param>
/// <param name="Message">The text.</param>
/// <param name="Tone">The tone.</param>
public sealed record CrmSyncAnnouncement(long Id, string Message, CrmSyncTone Tone);
