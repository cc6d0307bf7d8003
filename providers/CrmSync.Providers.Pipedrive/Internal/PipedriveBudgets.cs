using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Pipedrive.Internal;

/// <summary>
/// The per-connection request budgets of Pipedrive: the general burst window (plus the daily token budget the CRM
/// reports) and the separate, smaller burst window of the search API.
/// </summary>
internal sealed class PipedriveBudgets
{
    public PipedriveBudgets(CrmRequestBudget general, PipedriveOptions options, TimeProvider time)
    {
        General = general;
        Search = new CrmRequestBudget(PipedriveCrmProvider.ProviderName, PipedriveCrmProvider.ProviderDisplayName, new CrmRequestBudgetOptions
        {
            BurstLimit = options.SearchBurstLimit,
            BurstWindow = options.RequestBudget.BurstWindow,
            MaxWait = options.RequestBudget.MaxWait,
        }, time);
    }

    /// <summary>Gets the budget every request counts against.</summary>
    public CrmRequestBudget General { get; }

    /// <summary>Gets the budget of the search API.</summary>
    public CrmRequestBudget Search { get; }

    /// <summary>Reads Pipedrive's limit headers for the general budget. Search answers report the search window, so only their daily figures count here.</summary>
    public static CrmRateLimitSnapshot? ReadGeneral(HttpResponseMessage response)
    {
        var search = response.RequestMessage?.RequestUri?.AbsolutePath.EndsWith("/search", StringComparison.Ordinal) == true;
        var snapshot = Read(response.Headers, includeBurst: !search);
        return snapshot;
    }

    /// <summary>Reads the limit headers of a response.</summary>
    public static CrmRateLimitSnapshot? Read(System.Net.Http.Headers.HttpHeaders? headers, bool includeBurst)
    {
        var limit = CrmHttpHeaders.GetInt32(headers, "x-ratelimit-limit");
        var remaining = CrmHttpHeaders.GetInt32(headers, "x-ratelimit-remaining");
        var dailyLimit = CrmHttpHeaders.GetInt32(headers, "x-daily-ratelimit-token-limit");
        var dailyRemaining = CrmHttpHeaders.GetInt32(headers, "x-daily-ratelimit-token-remaining");
        if (limit is null && remaining is null && dailyLimit is null && dailyRemaining is null)
        {
            return null;
        }

        return new CrmRateLimitSnapshot
        {
            BurstLimit = includeBurst ? limit : null,
            BurstRemaining = includeBurst ? remaining : null,
            DailyLimit = dailyLimit,
            DailyRemaining = dailyRemaining,
        };
    }
}
