using System.ComponentModel.DataAnnotations;

namespace CrmSync.Providers.Zoho;

/// <summary>Where one Zoho datacenter lives: its accounts server (sign-in and tokens), API domain and CRM web app.</summary>
public sealed class ZohoDataCenterEndpoints
{
    /// <summary>Gets or sets the name users pick in the Datacenter picker (for example <c>Europe</c>).</summary>
    [Required]
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Gets or sets the accounts server, for example <c>https://accounts.zoho.eu</c>.</summary>
    [Required]
    public Uri AccountsBaseAddress { get; set; } = null!;

    /// <summary>Gets or sets the API domain, for example <c>https://www.zohoapis.eu</c>. The token's <c>api_domain</c> wins when Zoho sends one.</summary>
    [Required]
    public Uri ApiBaseAddress { get; set; } = null!;

    /// <summary>Gets or sets the CRM web app that deep links open, for example <c>https://crm.zoho.eu</c>.</summary>
    [Required]
    public Uri AppBaseAddress { get; set; } = null!;

    /// <summary>Creates the endpoints of a real Zoho datacenter from its top-level domain.</summary>
    /// <param name="displayName">The name users see.</param>
    /// <param name="tld">The domain suffix: <c>com</c>, <c>eu</c>, <c>in</c>, <c>com.au</c>, <c>jp</c>…</param>
    /// <returns>The endpoints.</returns>
    public static ZohoDataCenterEndpoints ForDomain(string displayName, string tld) => new()
    {
        DisplayName = displayName,
        AccountsBaseAddress = new Uri($"https://accounts.zoho.{tld}"),
        ApiBaseAddress = new Uri($"https://www.zohoapis.{tld}"),
        AppBaseAddress = new Uri($"https://crm.zoho.{tld}"),
    };
}
