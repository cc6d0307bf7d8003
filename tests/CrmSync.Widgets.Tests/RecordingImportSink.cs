using System.Collections.Concurrent;

namespace CrmSync.Widgets.Tests;

/// <summary>The host's import sink: records every delivered record, or fails while <see cref="FailWith"/> is set.</summary>
public sealed class RecordingImportSink : ICrmImportSink
{
    private readonly ConcurrentQueue<CrmImportedRecord> _received = new();

    /// <summary>Gets or sets the message of the exception every delivery throws; <see langword="null"/> to accept deliveries.</summary>
    public string? FailWith { get; set; }

    public IReadOnlyList<CrmImportedRecord> Received => _received.ToList();

    public Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default)
    {
        if (FailWith is { } message)
        {
            throw new InvalidOperationException(message);
        }

        foreach (var record in delivery.Records)
        {
            _received.Enqueue(record);
        }

        return Task.CompletedTask;
    }
}
