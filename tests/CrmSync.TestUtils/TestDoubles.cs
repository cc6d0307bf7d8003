using System.Collections.Concurrent;
using System.Text.Json;
using CrmSync.Sdk;

namespace CrmSync.TestUtils;

/// <summary>Keeps every alert it receives.</summary>
public sealed class RecordingAlertSink : ICrmSyncAlertSink
{
    public ConcurrentQueue<CrmSyncAlert> Received { get; } = new();

    public Task SendAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        Received.Enqueue(alert);
        return Task.CompletedTask;
    }
}

/// <summary>Records the bearer tokens sent and the tokens received, so tests can prove they never leak.</summary>
public sealed class SecretRecordingHandler(ConcurrentBag<string> secrets) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization?.Parameter is { Length: > 0 } token)
        {
            secrets.Add(token);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.AbsolutePath.Contains("/oauth", StringComparison.Ordinal) == true && response.Content is not null)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                using var json = JsonDocument.Parse(body);
                foreach (var name in new[] { "access_token", "refresh_token" })
                {
                    if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } secret)
                    {
                        secrets.Add(secret);
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: nothing to record.
            }
        }

        return response;
    }
}

/// <summary>A credential accessor for contract tests: hands out a token and refreshes through the provider, counting refreshes.</summary>
public sealed class TestCredentials(ICrmOAuthProvider provider, CrmCredentials initial) : ICrmCredentialAccessor
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CrmCredentials _current = initial;
    private int _refreshes;

    public int Refreshes => Volatile.Read(ref _refreshes);

    public CrmProviderContext? Context { get; set; }

    public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _current));

    public async Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(rejected, _current))
            {
                return _current;
            }

            Interlocked.Increment(ref _refreshes);
            _current = await provider.RefreshAsync(Context!, _current, cancellationToken);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }
}
