using System.Collections.Concurrent;

namespace CrmSync.Sdk.Testing;

/// <summary>
/// An <see cref="ICrmProvider"/> that keeps records in memory and upserts them by external id, for host apps' own tests
/// and the sample. Failures, latency, rate limits, outages, lost responses and revocation can be injected.
/// Thread-safe.
/// </summary>
public sealed partial class InMemoryCrmProvider : ICrmProvider, ICrmOAuthProvider
{
    private static readonly Uri BaseAddress = new("https://crm.example.test/");
    private readonly ConcurrentDictionary<(CrmObjectType, string), InMemoryCrmRecord> _records = new();
    private readonly ConcurrentQueue<Exception> _scriptedFailures = new();
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private int _nextId;
    private int _calls;
    private int _refreshes;
    private int _loseResponses;
    private string? _revokedReason;
    private bool _outage;
    private volatile bool _signInExpired;
    private Func<CrmRecordWrite, (CrmProblemType Problem, string Message)?>? _recordRule;
    private Func<IReadOnlyList<CrmRecordWrite>, CancellationToken, Task>? _beforeWrite;
    private Func<IReadOnlyList<CrmRecordWrite>, CancellationToken, Task>? _afterWrite;

    /// <summary>Initializes the provider.</summary>
    /// <param name="name">The provider name stored on connections. Defaults to <c>inmemory</c>.</param>
    /// <param name="capabilities">The capabilities. Defaults to batches of 100, native upsert, users and deep links.</param>
    /// <param name="timeProvider">The clock for timestamps, latency and token expiry. Defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryCrmProvider(string name = "inmemory", CrmProviderCapabilities? capabilities = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Capabilities = capabilities ?? new CrmProviderCapabilities { MaxBatchSize = 100, NativeUpsert = true, CanListUsers = true, RecordDeepLinks = true, OAuth = true };
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string DisplayName { get; init; } = "In-memory CRM";

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; }

    /// <summary>Gets or sets the delay added to every call, on the provider's <see cref="TimeProvider"/>. Defaults to none.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets how long issued access tokens live. Defaults to 30 minutes.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets the users returned for the owner picker.</summary>
    public IReadOnlyList<CrmUser> Users { get; set; } = [new("owner-1", "Ada Lovelace", "ada@example.test"), new("owner-2", "Alan Turing", "alan@example.test")];

    /// <summary>Gets the number of upsert calls received.</summary>
    public int CallCount => Volatile.Read(ref _calls);

    /// <summary>Gets the number of token refreshes performed.</summary>
    public int RefreshCount => Volatile.Read(ref _refreshes);

    /// <summary>Gets every stored record.</summary>
    public IReadOnlyList<InMemoryCrmRecord> Records => _records.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>Gets the stored records of one type.</summary>
    /// <param name="objectType">The type.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<InMemoryCrmRecord> GetRecords(CrmObjectType objectType) => Records.Where(r => r.ObjectType == objectType).ToList();

    /// <summary>Gets a stored record by external id.</summary>
    /// <param name="objectType">The type.</param>
    /// <param name="externalId">The external id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public InMemoryCrmRecord? Find(CrmObjectType objectType, string externalId) => _records.GetValueOrDefault((objectType, externalId));

    /// <summary>Makes the next <paramref name="count"/> calls fail as a whole with <paramref name="exception"/> (default: a 400 <see cref="CrmRequestFailedException"/>).</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="exception">The exception.</param>
    public void FailNextCalls(int count, Exception? exception = null)
    {
        for (var i = 0; i < count; i++)
        {
            _scriptedFailures.Enqueue(exception ?? new CrmRequestFailedException("The CRM rejected the request: property 'bad_field' does not exist.", Name, 400, CrmProblemType.UnknownField, "PROPERTY_DOESNT_EXIST"));
        }
    }

    /// <summary>Makes the next <paramref name="count"/> calls throttled.</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="retryAfter">The wait the CRM asks for.</param>
    /// <param name="dailyLimit">Whether it is the daily quota.</param>
    public void RateLimitNextCalls(int count, TimeSpan retryAfter, bool dailyLimit = false)
    {
        for (var i = 0; i < count; i++)
        {
            _scriptedFailures.Enqueue(new CrmRateLimitedException(dailyLimit ? "Daily API limit reached." : "Too many requests.", Name, retryAfter, dailyLimit, dailyLimit ? "DAILY" : "TEN_SECONDLY_ROLLING"));
        }
    }

    /// <summary>Turns a provider outage (503 on every call) on or off.</summary>
    /// <param name="on">Whether the CRM is down.</param>
    public void SimulateOutage(bool on) => _outage = on;

    /// <summary>Revokes the app: every call and refresh fails with <see cref="CrmAuthRevokedException"/> until <see cref="Restore"/>.</summary>
    /// <param name="reason">The reason.</param>
    public void Revoke(string reason = "The app was uninstalled from the CRM account.") => _revokedReason = reason;

    /// <summary>
    /// Lets the sign-in expire: every access token counts as expired and the CRM refuses to renew it because the refresh token
    /// expired too (<see cref="CrmAuthRevokedException.CredentialsExpired"/>), until <see cref="Restore"/> or new tokens from <see cref="IssueTokens"/>.
    /// </summary>
    public void ExpireSignIn() => _signInExpired = true;

    /// <summary>Undoes <see cref="Revoke"/>, <see cref="ExpireSignIn"/> and <see cref="SimulateOutage"/>.</summary>
    public void Restore()
    {
        _revokedReason = null;
        _signInExpired = false;
        _outage = false;
    }

    /// <summary>Applies the next <paramref name="count"/> writes but loses their responses (the caller sees a timeout).</summary>
    /// <param name="count">How many calls.</param>
    public void LoseNextResponses(int count) => Interlocked.Exchange(ref _loseResponses, count);

    /// <summary>Rejects individual records: return a problem to fail the record, <see langword="null"/> to accept it.</summary>
    /// <param name="rule">The rule.</param>
    public void RejectRecordsWhere(Func<CrmRecordWrite, (CrmProblemType Problem, string Message)?>? rule) => _recordRule = rule;

    /// <summary>Requires a field on contacts, the way a CRM requires Last Name or Company.</summary>
    /// <param name="field">The host or CRM field name.</param>
    public void RequireContactField(string field) => RejectRecordsWhere(w =>
        w.ObjectType == CrmObjectType.Contact && string.IsNullOrEmpty(w.MappedFields.GetValueOrDefault(field) ?? w.Fields.GetValueOrDefault(field))
            ? (CrmProblemType.RequiredFieldMissing, $"Required field '{field}' is missing.")
            : null);

    /// <summary>Runs <paramref name="hook"/> before a call writes anything (for example to stop a test process mid-batch).</summary>
    /// <param name="hook">The hook.</param>
    public void OnBeforeWrite(Func<IReadOnlyList<CrmRecordWrite>, CancellationToken, Task>? hook) => _beforeWrite = hook;

    /// <summary>Runs <paramref name="hook"/> after a call wrote its records and before it answers.</summary>
    /// <param name="hook">The hook.</param>
    public void OnAfterWrite(Func<IReadOnlyList<CrmRecordWrite>, CancellationToken, Task>? hook) => _afterWrite = hook;

    /// <summary>Deletes a record, as a user does in the CRM (the SDK itself never deletes anything).</summary>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalId">The host record id it was written with.</param>
    /// <returns><see langword="true"/> when the record existed.</returns>
    public bool Delete(CrmObjectType objectType, string externalId) => _records.TryRemove((objectType, externalId), out _);

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(records);
        Interlocked.Increment(ref _calls);
        if (records.Count > Capabilities.MaxBatchSize)
        {
            throw new CrmRequestFailedException($"Batch of {records.Count} exceeds the limit of {Capabilities.MaxBatchSize}.", Name, 400, CrmProblemType.InvalidValue);
        }

        if (records.Select(r => r.ObjectType).Distinct().Count() > 1)
        {
            throw new CrmRequestFailedException("A batch must hold one object type.", Name, 400, CrmProblemType.InvalidValue);
        }

        await CheckAvailableAsync(context, cancellationToken).ConfigureAwait(false);
        if (_beforeWrite is { } before)
        {
            await before(records, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var results = new List<CrmRecordResult>(records.Count);
        foreach (var write in records)
        {
            if (_recordRule?.Invoke(write) is { } problem)
            {
                results.Add(CrmRecordResult.Failure(write.ExternalId, problem.Problem, problem.Message));
                continue;
            }

            if (write.ObjectType is CrmObjectType.Email or CrmObjectType.Call or CrmObjectType.Meeting && write.ContactCrmId is null)
            {
                results.Add(CrmRecordResult.Failure(write.ExternalId, CrmProblemType.InvalidValue, "An activity needs a contact to be associated with."));
                continue;
            }

            results.Add(Write(write, now));
        }

        if (_afterWrite is { } after)
        {
            await after(records, cancellationToken).ConfigureAwait(false);
        }

        if (TryConsumeLostResponse())
        {
            throw new CrmProviderUnavailableException("The request timed out before the CRM answered.", Name, null, TimeSpan.FromSeconds(30), new TimeoutException());
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        await CheckAvailableAsync(context, cancellationToken).ConfigureAwait(false);
        return Users;
    }

    /// <inheritdoc />
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) =>
        new(BaseAddress, $"{objectType.ToString().ToLowerInvariant()}s/{Uri.EscapeDataString(crmRecordId)}");

    /// <inheritdoc />
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Uri(BaseAddress, $"oauth/authorize?state={Uri.EscapeDataString(request.State)}&code_challenge={request.CodeChallenge}&code_challenge_method=S256&redirect_uri={Uri.EscapeDataString(request.RedirectUri.ToString())}");
    }

    /// <inheritdoc />
    public Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new CrmOAuthResult(IssueTokens(), "In-memory account"));
    }

    /// <inheritdoc />
    public Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        if (_revokedReason is { } reason)
        {
            throw new CrmAuthRevokedException(reason, Name);
        }

        if (_signInExpired)
        {
            throw new CrmAuthRevokedException($"{DisplayName} refused to renew the sign-in: the refresh token expired.", Name, credentialsExpired: true);
        }

        Interlocked.Increment(ref _refreshes);
        return Task.FromResult(NewTokens());
    }

    /// <summary>Issues a token pair that expires after <see cref="TokenLifetime"/>.</summary>
    /// <returns>The credentials.</returns>
    public CrmCredentials IssueTokens()
    {
        _signInExpired = false;
        return NewTokens();
    }

    private CrmCredentials NewTokens() => new()
    {
        AccessToken = "at-" + Guid.NewGuid().ToString("N"),
        RefreshToken = "rt-" + Guid.NewGuid().ToString("N"),
        ExpiresAt = _time.GetUtcNow() + TokenLifetime,
    };

    private async Task CheckAvailableAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, _time, cancellationToken).ConfigureAwait(false);
        }

        if (_revokedReason is { } reason)
        {
            throw new CrmAuthRevokedException(reason, Name);
        }

        if (_outage)
        {
            throw new CrmProviderUnavailableException("The CRM answered 503 Service Unavailable.", Name, 503);
        }

        if (_scriptedFailures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var credentials = await context.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        if (_signInExpired || (credentials.ExpiresAt is { } expires && expires <= _time.GetUtcNow()))
        {
            // What a real CRM does with an expired token: 401, then the client refreshes once and retries.
            await context.Credentials.RefreshAsync(credentials, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryConsumeLostResponse()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _loseResponses);
            if (current <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _loseResponses, current - 1, current) != current);
        return true;
    }

    private CrmRecordResult Write(CrmRecordWrite write, DateTimeOffset now)
    {
        lock (_gate)
        {
            var key = (write.ObjectType, write.ExternalId);
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (_records.TryGetValue(key, out var existing))
            {
                foreach (var pair in existing.Fields)
                {
                    fields[pair.Key] = pair.Value;
                }
            }

            foreach (var pair in write.Fields)
            {
                fields[pair.Key] = pair.Value;
            }

            foreach (var pair in write.MappedFields)
            {
                fields[pair.Key] = pair.Value;
            }

            fields[write.ExternalIdField] = write.ExternalId;
            if (existing is not null)
            {
                _records[key] = existing with { Fields = fields, UpdatedAt = now, WriteCount = existing.WriteCount + 1, ContactId = write.ContactCrmId ?? existing.ContactId };
                return CrmRecordResult.Success(write.ExternalId, existing.Id, created: false);
            }

            var id = (++_nextId).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            _records[key] = new InMemoryCrmRecord
            {
                Id = id,
                ObjectType = write.ObjectType,
                ExternalId = write.ExternalId,
                Fields = fields,
                OwnerId = write.OwnerIdOnCreate,
                ContactId = write.ContactCrmId,
                CreatedAt = now,
                UpdatedAt = now,
                WriteCount = 1,
            };
            return CrmRecordResult.Success(write.ExternalId, id, created: true);
        }
    }
}
