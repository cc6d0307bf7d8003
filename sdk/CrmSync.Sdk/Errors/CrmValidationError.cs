namespace CrmSync.Sdk;

/// <summary>One reason a value was rejected.</summary>
/// <param name="Path">What is wrong, as a path (for example <c>Entries[2]</c> or <c>ScheduleInterval</c>).</param>
/// <param name="Message">A sentence that names the bad entry and says why.</param>
public sealed record CrmValidationError(string Path, string Message);
