namespace CrmSync.Widgets;

/// <summary>The SVG elements of each icon, on a 24 × 24 grid, stroked (the kit's own drawings).</summary>
internal static class CrmSyncIconPaths
{
    private const string Ring = "<circle cx=\"12\" cy=\"12\" r=\"9.5\"/>";

    public static string Get(CrmSyncIconName name) => name switch
    {
        CrmSyncIconName.Check => "<path d=\"M20 6 9 17l-5-5\"/>",
        CrmSyncIconName.CheckCircle => Ring + "<path d=\"m8.5 12.5 2.5 2.5 4.5-5\"/>",
        CrmSyncIconName.Close => "<path d=\"M18 6 6 18M6 6l12 12\"/>",
        CrmSyncIconName.ErrorCircle => Ring + "<path d=\"m15 9-6 6m0-6 6 6\"/>",
        CrmSyncIconName.Warning => "<path d=\"M10.3 3.9 1.9 18a2 2 0 0 0 1.7 3h16.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z\"/><path d=\"M12 9v4M12 17h.01\"/>",
        CrmSyncIconName.AlertCircle => Ring + "<path d=\"M12 7.5v5M12 16.5h.01\"/>",
        CrmSyncIconName.Info => Ring + "<path d=\"M12 16.5v-5M12 7.5h.01\"/>",
        CrmSyncIconName.Pause => Ring + "<path d=\"M10 15V9M14 15V9\"/>",
        CrmSyncIconName.Clock => Ring + "<path d=\"M12 6.5V12l3.5 2\"/>",
        CrmSyncIconName.Lock => "<rect x=\"4\" y=\"11\" width=\"16\" height=\"10\" rx=\"2\"/><path d=\"M8 11V7a4 4 0 0 1 8 0v4\"/>",
        CrmSyncIconName.Ban => Ring + "<path d=\"m5.3 5.3 13.4 13.4\"/>",
        CrmSyncIconName.Refresh => "<path d=\"M20.5 12a8.5 8.5 0 0 1-14.6 5.9L3.5 15.5\"/><path d=\"M3.5 20.5v-5h5\"/><path d=\"M3.5 12a8.5 8.5 0 0 1 14.6-5.9l2.4 2.4\"/><path d=\"M20.5 3.5v5h-5\"/>",
        CrmSyncIconName.Link => "<path d=\"M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7\"/><path d=\"M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7\"/>",
        CrmSyncIconName.Unlink => "<path d=\"m18.8 13.2 1.7-1.7a5 5 0 0 0-7-7l-1.7 1.7\"/><path d=\"m5.2 10.8-1.7 1.7a5 5 0 0 0 7 7l1.7-1.7\"/><path d=\"M8 2v3M2 8h3M16 22v-3M22 16h-3\"/>",
        CrmSyncIconName.Trash => "<path d=\"M3 6h18M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2M10 11v6M14 11v6\"/>",
        CrmSyncIconName.ChevronRight => "<path d=\"m9 18 6-6-6-6\"/>",
        CrmSyncIconName.ChevronDown => "<path d=\"m6 9 6 6 6-6\"/>",
        CrmSyncIconName.ExternalLink => "<path d=\"M15 3h6v6M10 14 21 3M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6\"/>",
        CrmSyncIconName.Inbox => "<path d=\"M22 12h-6l-2 3h-4l-2-3H2\"/><path d=\"M5.5 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.7 1.1Z\"/>",
        CrmSyncIconName.User => "<circle cx=\"12\" cy=\"8\" r=\"4\"/><path d=\"M5 21v-1a7 7 0 0 1 14 0v1\"/>",
        CrmSyncIconName.Settings => "<path d=\"M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3M1 14h6M9 8h6M17 16h6\"/>",
        CrmSyncIconName.Activity => "<path d=\"M22 12h-4l-3 9L9 3l-3 9H2\"/>",
        CrmSyncIconName.Mail => "<rect x=\"2\" y=\"4\" width=\"20\" height=\"16\" rx=\"2\"/><path d=\"m22 7-10 6L2 7\"/>",
        CrmSyncIconName.Plus => "<path d=\"M12 5v14M5 12h14\"/>",
        CrmSyncIconName.Calendar => "<rect x=\"3\" y=\"4\" width=\"18\" height=\"18\" rx=\"2\"/><path d=\"M16 2v4M8 2v4M3 10h18\"/>",
        CrmSyncIconName.Zap => "<path d=\"M13 2 3 14h9l-1 8 10-12h-9l1-8Z\"/>",
        CrmSyncIconName.Send => "<path d=\"m22 2-7 20-4-9-9-4Z\"/><path d=\"M22 2 11 13\"/>",
        CrmSyncIconName.Download => "<path d=\"M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3\"/>",
        CrmSyncIconName.ArrowsLeftRight => "<path d=\"M8 3 4 7l4 4M4 7h16M16 21l4-4-4-4M20 17H4\"/>",
        CrmSyncIconName.Circle => Ring,
        CrmSyncIconName.CircleDashed => "<circle cx=\"12\" cy=\"12\" r=\"9.5\" stroke-dasharray=\"3 3.2\"/>",
        CrmSyncIconName.Skip => "<path d=\"m5 4 10 8-10 8Z\"/><path d=\"M19 5v14\"/>",
        CrmSyncIconName.Search => "<circle cx=\"11\" cy=\"11\" r=\"7.5\"/><path d=\"m21 21-4.5-4.5\"/>",
        CrmSyncIconName.Bell => "<path d=\"M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9\"/><path d=\"M10.3 21a1.9 1.9 0 0 0 3.4 0\"/>",
        CrmSyncIconName.Shield => "<path d=\"M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10Z\"/>",
        CrmSyncIconName.Database => "<ellipse cx=\"12\" cy=\"5\" rx=\"9\" ry=\"3\"/><path d=\"M3 5v14c0 1.7 4 3 9 3s9-1.3 9-3V5\"/><path d=\"M3 12c0 1.7 4 3 9 3s9-1.3 9-3\"/>",
        CrmSyncIconName.Help => Ring + "<path d=\"M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01\"/>",
        CrmSyncIconName.Play => "<path d=\"M7 4.5v15l12-7.5Z\"/>",
        CrmSyncIconName.CloudOff => "<path d=\"M7 18a5 5 0 0 1-.9-9.9M10.5 5.3A6 6 0 0 1 17.7 10H18a4 4 0 0 1 3 6.6M17 18H7\"/><path d=\"m2 2 20 20\"/>",
        CrmSyncIconName.Spinner => "<path d=\"M21 12a9 9 0 1 1-6.2-8.6\"/>",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown CrmSync icon."),
    };
}
