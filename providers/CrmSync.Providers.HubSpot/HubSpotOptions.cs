using System.ComponentModel.DataAnnotations;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.Options;

namespace CrmSync.Providers.HubSpot;

/// <summary>Options of the HubSpot provider, validated on start. The OAuth client, request budget and transport rules come from <see cref="CrmProviderOptions"/>.</summary>
public sealed class HubSpotOptions : CrmProviderOptions
{
    /// <summary>
    /// Initializes the options with HubSpot's lowest documented burst tier, 100 calls per rolling 10 seconds, as the
    /// request budget. HubSpot's daily limit applies to private-app tokens only (OAuth apps share no daily pool), so no daily
    /// quota is set; the budget learns one from <c>X-HubSpot-RateLimit-Daily</c> when HubSpot sends it.
    /// </summary>
    public HubSpotOptions()
    {
        RequestBudget = new CrmRequestBudgetOptions { BurstLimit = 100, BurstWindow = TimeSpan.FromSeconds(10) };
    }
    /// <summary>Gets or sets the API base address. Defaults to <c>https://api.hubapi.com/</c>; point it at the simulator in tests.</summary>
    [Required]
    public Uri ApiBaseAddress { get; set; } = new("https://api.hubapi.com/");

    /// <summary>Gets or sets the base address of the sign-in page (<c>oauth/authorize</c> is appended). Defaults to <c>https://app.hubspot.com/</c>.</summary>
    [Required]
    public Uri AuthorizeBaseAddress { get; set; } = new("https://app.hubspot.com/");

    /// <summary>Gets or sets the base address of record deep links. Defaults to <c>https://app.hubspot.com/</c>.</summary>
    [Required]
    public Uri AppBaseAddress { get; set; } = new("https://app.hubspot.com/");

    /// <summary>
    /// Gets or sets the API version: <c>v3</c> (paths <c>/crm/v3/objects/contacts</c>) or a date-based release such as
    /// <c>2026-03</c> (paths <c>/crm/objects/2026-03/contacts</c>). Defaults to <c>v3</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^(v3|\d{4}-\d{2})$")]
    public string ApiVersion { get; set; } = "v3";

    /// <summary>Gets or sets the token endpoint path. Defaults to <c>oauth/v1/token</c> (<c>oauth/v3/token</c> also works).</summary>
    [Required]
    public string TokenPath { get; set; } = "oauth/v1/token";

    /// <summary>Gets or sets the OAuth scopes requested at sign-in, space separated.</summary>
    [Required]
    public string Scopes { get; set; } = "crm.objects.contacts.read crm.objects.contacts.write crm.schemas.contacts.write crm.objects.owners.read";

    /// <summary>
    /// Gets or sets the scopes requested instead of <see cref="Scopes"/> when the connection only fetches (direction Fetch): read
    /// access only, as a fetch-only connection promises. Defaults to <c>crm.objects.contacts.read crm.objects.owners.read</c>.
    /// </summary>
    [Required]
    public string ReadOnlyScopes { get; set; } = "crm.objects.contacts.read crm.objects.owners.read";

    /// <summary>
    /// Gets or sets scopes requested as <c>optional_scope</c>: granted when the installing user's account has them, never blocking
    /// sign-in. Imports read deals and companies with them. Defaults to <c>crm.objects.deals.read crm.objects.companies.read</c>;
    /// empty sends none.
    /// </summary>
    public string OptionalScopes { get; set; } = "crm.objects.deals.read crm.objects.companies.read";

    /// <summary>
    /// Gets or sets the custom property that holds the host's record id, created on contacts, emails, calls and meetings when
    /// missing: unique on contacts (the upsert key); a plain marker on engagements, which HubSpot does not let require unique
    /// values. Used when the connection's mapping keeps the default external-id field. Defaults to <c>crmsync_external_id</c>.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9_]{0,99}$")]
    public string ExternalIdProperty { get; set; } = FieldMapping.DefaultExternalIdField;

    /// <summary>
    /// Gets or sets how many search requests one connection starts per second: HubSpot limits search to 5 per second per
    /// account (answered 429 <c>SECONDLY</c>), apart from the burst limit. Defaults to 5.
    /// </summary>
    [Range(1, 100)]
    public int SearchRequestsPerSecond { get; set; } = 5;

    /// <summary>Gets or sets the most records per batch call. HubSpot accepts at most 100. Defaults to 100.</summary>
    [Range(1, 100)]
    public int BatchSize { get; set; } = 100;
}
