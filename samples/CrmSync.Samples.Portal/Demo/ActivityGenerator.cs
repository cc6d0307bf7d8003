using CrmSync.Sdk;
using Microsoft.Extensions.Options;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>Adds contacts, emails, calls and meetings for the demo tenant so the log and charts move.</summary>
public sealed partial class ActivityGenerator(CrmSyncClient sync, IOptions<PortalOptions> options, TimeProvider time, ILogger<ActivityGenerator> logger) : BackgroundService
{
    private int _sequence;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.ActivityGenerator;
        if (!settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken);
                await GenerateAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                LogGeneratorFailed(logger, ex);
            }
        }
    }

    /// <summary>Adds one new contact with an email and a meeting, and a call with the contact added before it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task GenerateAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _sequence);
        var contact = DemoContacts.Contact(DemoContacts.Count + n);
        // The call is with a contact this generator added before (synced whether or not the user imported the existing ones),
        // so the demo's runs read as clean; skipped records show in the gallery, where they are the point.
        var existing = n > 1 ? DemoContacts.Contact(DemoContacts.Count + n - 1).SourceId : contact.SourceId;
        var at = time.GetUtcNow().ToString("O");
        await sync.EnqueueAsync(DemoUsers.TenantId,
        [
            contact,
            new CrmChange(CrmObjectType.Email, $"email-{n}", new Dictionary<string, string?> { [CrmFieldNames.Subject] = $"Follow-up #{n}", [CrmFieldNames.Body] = "Thanks for your time today.", [CrmFieldNames.Direction] = "outbound", [CrmFieldNames.OccurredAt] = at }) { ContactSourceId = contact.SourceId },
            new CrmChange(CrmObjectType.Call, $"call-{n}", new Dictionary<string, string?> { [CrmFieldNames.Subject] = $"Discovery call #{n}", [CrmFieldNames.DurationSeconds] = "420", [CrmFieldNames.Outcome] = "connected", [CrmFieldNames.OccurredAt] = at }) { ContactSourceId = existing },
            new CrmChange(CrmObjectType.Meeting, $"meeting-{n}", new Dictionary<string, string?> { [CrmFieldNames.Subject] = $"Demo #{n}", [CrmFieldNames.OccurredAt] = at, [CrmFieldNames.EndsAt] = time.GetUtcNow().AddMinutes(30).ToString("O") }) { ContactSourceId = contact.SourceId },
        ], cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Warning, "The demo activity generator failed; it tries again on its next tick")]
    private static partial void LogGeneratorFailed(ILogger logger, Exception exception);
}
