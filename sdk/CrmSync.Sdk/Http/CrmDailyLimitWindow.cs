namespace CrmSync.Sdk.Http;

/// <summary>How a CRM counts its daily request quota.</summary>
public enum CrmDailyLimitWindow
{
    /// <summary>A calendar day that resets at midnight in <see cref="CrmRequestBudgetOptions.DailyResetTimeZone"/> (HubSpot, Pipedrive).</summary>
    CalendarDay = 0,

    /// <summary>A rolling 24-hour window (Salesforce, Zoho).</summary>
    Rolling24Hours = 1,
}
