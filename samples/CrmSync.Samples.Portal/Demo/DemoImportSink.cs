using System.Collections.Concurrent;
using CrmSync.Sdk;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>
/// Where approved imports land in the demo host: a list the CRM page shows as "monitored companies".
/// A real host would create its own records here.
/// </summary>
public sealed class DemoImportSink : ICrmImportSink
{
    private readonly ConcurrentDictionary<string, CrmImportedRecord> _received = new(StringComparer.Ordinal);

    /// <summary>Gets what the host received, newest first.</summary>
    public IReadOnlyList<CrmImportedRecord> Received => _received.Values.OrderByDescending(r => r.Record.ModifiedAt).ToList();

    /// <inheritdoc />
    public Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        foreach (var record in delivery.Records)
        {
            _received[$"{record.Record.ObjectType}:{record.Record.CrmId}"] = record;
        }

        return Task.CompletedTask;
    }
}
