namespace CrmSync.Samples.Portal.Demo;

/// <summary>Settings of the sample portal (section "Portal").</summary>
public sealed class PortalOptions
{
    /// <summary>Where the SQLite file and Data Protection keys live. Empty means the system temp folder.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>The background activity generator.</summary>
    public ActivityGeneratorOptions ActivityGenerator { get; set; } = new();

    /// <summary>How often the CrmSync scheduler looks for due connections.</summary>
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The schedule of new connections (the product default is 5 minutes; the demo is faster).</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often widgets poll as a fallback to the SDK change feed (which updates them at once). The browser tests set it to an hour
    /// to prove that the change feed alone keeps every widget on a page current.
    /// </summary>
    public TimeSpan WidgetRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The region the demo Zoho account lives in (us, eu, in, au or jp); signing in elsewhere fails like the real Zoho does.</summary>
    public string ZohoDataCenter { get; set; } = "eu";

    /// <summary>
    /// When set, the portal's clock stands still at this instant (ISO 8601, e.g. <c>2026-12-03T16:00:00Z</c>), so the gallery renders
    /// the same pixels every time: the screenshot tests and the docs screenshots use it. No scheduler runs in the background; the Simulate page can move the clock on and run the due syncs by hand.
    /// </summary>
    public DateTimeOffset? FrozenClock { get; set; }

    /// <summary>Gets the resolved data directory.</summary>
    public string ResolvedDataDirectory => string.IsNullOrWhiteSpace(DataDirectory)
        ? Path.Combine(Path.GetTempPath(), "crmsync-portal")
        : DataDirectory;
}

/// <summary>The activity generator makes the sync log and charts move.</summary>
public sealed class ActivityGeneratorOptions
{
    /// <summary>Whether it runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often it adds activity.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}
