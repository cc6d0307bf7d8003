namespace CrmSync.Sdk;

/// <summary>Where an import run stands.</summary>
public enum CrmImportRunStatus
{
    /// <summary>Reading pages.</summary>
    Running = 0,

    /// <summary>The CRM throttled or failed; the run waits until <see cref="CrmImportRun.ResumeAt"/> and then asks for the same page again.</summary>
    Waiting = 1,

    /// <summary>Every page was read; the high-water mark moved to <see cref="CrmImportRun.HighWaterMark"/>.</summary>
    Completed = 2,

    /// <summary>The CRM rejected the import (for example revoked credentials); see <see cref="CrmImportRun.Error"/>.</summary>
    Failed = 3,
}

/// <summary>One import from the CRM into the inbox: its filter, its resumable cursor and what it found.</summary>
public sealed record CrmImportRun
{
    /// <summary>Gets the run id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection.</summary>
    public required Guid ConnectionId { get; init; }

    /// <summary>Gets the filter as chosen by the user.</summary>
    public required CrmFetchFilter Filter { get; init; }

    /// <summary>Gets <see cref="CrmFetchFilter.GetScopeKey"/> of the filter: runs with the same key share a high-water mark.</summary>
    public required string ScopeKey { get; init; }

    /// <summary>Gets the modified-since the run actually reads from: the later of the filter's and the previous mark (incremental), or the filter's.</summary>
    public DateTimeOffset? EffectiveModifiedSince { get; init; }

    /// <summary>Gets whether the run reads only what changed since the previous completed run of the same scope.</summary>
    public bool Incremental { get; init; }

    /// <summary>Gets the status.</summary>
    public CrmImportRunStatus Status { get; init; }

    /// <summary>Gets the cursor of the next page to read (<see langword="null"/> before the first page and after the last).</summary>
    public string? Cursor { get; init; }

    /// <summary>Gets how many pages were stored.</summary>
    public int Pages { get; init; }

    /// <summary>Gets how many records were read.</summary>
    public long Fetched { get; init; }

    /// <summary>Gets how many new inbox items were created.</summary>
    public long Added { get; init; }

    /// <summary>Gets how many existing inbox items got a newer version.</summary>
    public long Updated { get; init; }

    /// <summary>Gets how many records were already in the inbox at the same modified stamp (re-imports).</summary>
    public long Unchanged { get; init; }

    /// <summary>Gets how many records were skipped because a user rejected them before.</summary>
    public long PreviouslyRejected { get; init; }

    /// <summary>Gets the latest modified stamp read so far; it becomes the scope's high-water mark when the run completes.</summary>
    public DateTimeOffset? HighWaterMark { get; init; }

    /// <summary>Gets who started it.</summary>
    public string? StartedBy { get; init; }

    /// <summary>Gets when it started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it completed or failed.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets when a waiting run may ask the CRM again.</summary>
    public DateTimeOffset? ResumeAt { get; init; }

    /// <summary>Gets the last wait or error message, without secrets.</summary>
    public string? Error { get; init; }

    /// <summary>Gets how many times the CRM throttled or failed a page during this run.</summary>
    public int Waits { get; init; }
}

/// <summary>What storing one page into the inbox did.</summary>
/// <param name="Added">New items.</param>
/// <param name="Updated">Items that got a newer version.</param>
/// <param name="Unchanged">Records already stored at the same (or a newer) stamp.</param>
/// <param name="PreviouslyRejected">Records skipped because they were rejected before.</param>
public sealed record CrmInboxAddResult(int Added, int Updated, int Unchanged, int PreviouslyRejected);
