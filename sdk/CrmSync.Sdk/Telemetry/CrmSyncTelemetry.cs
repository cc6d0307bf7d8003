using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace CrmSync.Sdk;

/// <summary>The names of CrmSync's meter, activity source and instruments.</summary>
public static class CrmSyncTelemetry
{
    /// <summary>The meter and activity source name: <c>CrmSync</c>.</summary>
    public const string Name = "CrmSync";

    /// <summary>Counter of records processed, tagged <c>crmsync.provider</c> and <c>crmsync.outcome</c> (synced, skipped, failed).</summary>
    public const string RecordsInstrument = "crmsync.sync.records";

    /// <summary>Counter of finished runs, tagged <c>crmsync.provider</c> and <c>crmsync.outcome</c>.</summary>
    public const string RunsInstrument = "crmsync.sync.runs";

    /// <summary>Histogram of run durations in seconds, tagged <c>crmsync.provider</c>.</summary>
    public const string RunDurationInstrument = "crmsync.sync.duration";

    /// <summary>Counter of changes accepted into the outbox, tagged <c>crmsync.object_type</c>.</summary>
    public const string EnqueuedInstrument = "crmsync.outbox.enqueued";

    /// <summary>Counter of alerts raised, tagged <c>crmsync.provider</c> and <c>crmsync.alert_kind</c>.</summary>
    public const string AlertsInstrument = "crmsync.alerts";

    /// <summary>Counter of throttled or unavailable provider calls, tagged <c>crmsync.provider</c> and <c>error.type</c>.</summary>
    public const string WaitsInstrument = "crmsync.sync.waits";

    /// <summary>Counter of access-token refreshes, tagged <c>crmsync.provider</c>.</summary>
    public const string TokenRefreshInstrument = "crmsync.auth.refreshes";
}

/// <summary>The meter, instruments and activity source, one per DI container.</summary>
internal sealed class CrmSyncInstruments : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(CrmSyncTelemetry.Name, Version);

    public CrmSyncInstruments(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(CrmSyncTelemetry.Name, Version);
        Records = Meter.CreateCounter<long>(CrmSyncTelemetry.RecordsInstrument, "{record}", "Records processed by sync runs.");
        Runs = Meter.CreateCounter<long>(CrmSyncTelemetry.RunsInstrument, "{run}", "Sync runs finished.");
        RunDuration = Meter.CreateHistogram<double>(CrmSyncTelemetry.RunDurationInstrument, "s", "Sync run duration.");
        Enqueued = Meter.CreateCounter<long>(CrmSyncTelemetry.EnqueuedInstrument, "{change}", "Changes accepted into the outbox.");
        Alerts = Meter.CreateCounter<long>(CrmSyncTelemetry.AlertsInstrument, "{alert}", "Alerts raised.");
        Waits = Meter.CreateCounter<long>(CrmSyncTelemetry.WaitsInstrument, "{wait}", "Throttled or unavailable provider calls.");
        TokenRefreshes = Meter.CreateCounter<long>(CrmSyncTelemetry.TokenRefreshInstrument, "{refresh}", "Access-token refreshes.");
    }

    public static string Version { get; } = typeof(CrmSyncInstruments).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public Meter Meter { get; }

    public Counter<long> Records { get; }

    public Counter<long> Runs { get; }

    public Histogram<double> RunDuration { get; }

    public Counter<long> Enqueued { get; }

    public Counter<long> Alerts { get; }

    public Counter<long> Waits { get; }

    public Counter<long> TokenRefreshes { get; }

    public void Dispose() => Meter.Dispose();
}
