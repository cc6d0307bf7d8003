using System.Security.Claims;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Providers.OpenApi;
using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Providers.Reapit.Simulator;
using CrmSync.Providers.Salesforce.Simulator;
using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Samples.Portal.Components;
using CrmSync.Samples.Portal.Crms.Harbor;
using CrmSync.Samples.Portal.Demo;
using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using CrmSync.Widgets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var portal = builder.Configuration.GetSection("Portal").Get<PortalOptions>() ?? new PortalOptions();
Directory.CreateDirectory(portal.ResolvedDataDirectory);
builder.Services.Configure<PortalOptions>(builder.Configuration.GetSection("Portal"));
var clock = new PortalClock(portal.FrozenClock);
builder.Services.AddSingleton(clock);
builder.Services.AddSingleton<TimeProvider>(clock);

// The CRMs: stateful simulators in-process, so the portal needs no accounts and no keys.
var hubspot = HubSpotSimulator.Start();
SeedHubSpotDeals(hubspot);

// A new Salesforce org: no CrmSync_External_Id__c yet, so the first sync shows CrmSync creating it (Tooling API + field-level security).
var salesforce = SalesforceSimulator.Start();
// The demo app's scopes, as set in Pipedrive's Developer Hub: deals:read lets the import wizard bring in closed deals.
var pipedrive = PipedriveSimulator.Start(new PipedriveSimulatorOptions { GrantedScopes = "base contacts:full activities:full deals:read users:read" });
// The demo Zoho account lives in one region, like a real one: pick that datacenter before signing in.
var zoho = ZohoSimulator.Start(new ZohoSimulatorOptions { OrganizationDataCenter = Enum.Parse<ZohoDataCenter>(portal.ZohoDataCenter, ignoreCase: true) });
// Any CRM with an OpenAPI document: Reapit (the shipped profile) and Harbor CRM, an invented CRM whose profile the portal ships.
var reapit = ReapitSimulator.Start();
var harbor = HarborSimulator.Start();
using var harborProfileJson = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Crms", "Harbor", "harbor.profile.json"));
var harborProfile = OpenApiProfile.Load(harborProfileJson) with
{
    BaseUrl = harbor.BaseUrl,
    ContactLinkTemplate = new Uri(harbor.BaseUrl, "people/{id}").ToString(),
};
var zohoRegions = new Dictionary<string, ZohoDataCenter>
{
    ["us"] = ZohoDataCenter.Us, ["eu"] = ZohoDataCenter.Eu, ["in"] = ZohoDataCenter.In, ["au"] = ZohoDataCenter.Au, ["jp"] = ZohoDataCenter.Jp,
};
builder.Services.AddSingleton(new DemoCrms(
[
    new DemoCrm("hubspot", "HubSpot", hubspot.BaseUrl, on => hubspot.SimulateOutage(on), hubspot.RevokeAllTokens, hubspot.SetDailyLimit, t => hubspot.GetRecords(t), hubspot.Reset)
    {
        ContactFieldAdmin = new DemoFieldAdmin(() => { hubspot.AddCustomProperty("contacts", "crmsync_demo_field", "CrmSync demo field"); return "crmsync_demo_field"; }, name => hubspot.ArchiveProperty("contacts", name)),
    },
    new DemoCrm("salesforce", "Salesforce", salesforce.BaseUrl, on => salesforce.SimulateOutage(on), salesforce.RevokeAllTokens, salesforce.SetDailyLimit, t => salesforce.GetRecords(t), salesforce.Reset)
    {
        ContactFieldAdmin = new DemoFieldAdmin(() => { salesforce.AddCustomField("Contact", "CrmSync_Demo_Field__c"); return "CrmSync_Demo_Field__c"; }, name => salesforce.DeleteCustomField("Contact", name)),
    },
    new DemoCrm("pipedrive", "Pipedrive", pipedrive.BaseUrl, on => pipedrive.SimulateOutage(on), pipedrive.RevokeAllTokens, n => pipedrive.SetDailyLimit(n), t => pipedrive.GetRecords(t), pipedrive.Reset)
    {
        MarketplaceInstallUrl = pipedrive.GetMarketplaceInstallUrl,
        ContactFieldAdmin = new DemoFieldAdmin(() => pipedrive.AddCustomPersonField("CrmSync demo field"), pipedrive.DeleteCustomPersonField),
    },
    new DemoCrm("zoho", "Zoho CRM", zoho.BaseUrl, on => zoho.SimulateOutage(on), zoho.RevokeAllTokens, n => zoho.SetDailyLimit(n), t => zoho.GetRecords(t), zoho.Reset)
    {
        ContactFieldAdmin = new DemoFieldAdmin(() => { zoho.AddCustomField("Contacts", "CrmSync_Demo_Field", "CrmSync demo field"); return "CrmSync_Demo_Field"; }, name => zoho.DeleteCustomField("Contacts", name)),
    },
    new DemoCrm("reapit", "Reapit", reapit.BaseUrl, on => reapit.SimulateOutage(on), () => reapit.UninstallApp("SBOX"), n => reapit.SetLimits(20, daily: n), t => reapit.GetRecords(t), reapit.Reset),
    new DemoCrm("harbor", "Harbor CRM", harbor.BaseUrl, on => harbor.SimulateOutage(on), harbor.RevokeKey, harbor.SetDailyLimit, harbor.GetRecords, harbor.Reset),
]));

var importSink = new DemoImportSink();
builder.Services.AddSingleton(importSink);
builder.Services.AddHostedService<DemoLeadSources>();

builder.Services.AddDataProtection()
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(portal.ResolvedDataDirectory, "keys")))
    .SetApplicationName("CrmSync.Samples.Portal");

builder.Services.AddCrmSync(o =>
    {
        o.ProductName = "CrmSync Demo";
        o.SchedulerPollInterval = portal.SchedulerPollInterval;
        // A frozen clock is a showcase (gallery screenshots): nothing runs in the background, so every render is the same.
        o.EnableScheduler = !clock.IsFrozen;
        o.ConnectionPageUrl = "/settings/integrations/{provider}";
        o.IntegrationsPageUrl = "/settings/integrations";
        o.KnownSourceFields = [.. DemoContacts.SourceFields];

        // Any option can be set from configuration (for example CrmSync__Status__OutageAfterWaits=1 in the browser tests).
        builder.Configuration.GetSection("CrmSync").Bind(o);
        // The demo both pushes activity and imports closed deals, so every page has something to show.
        o.DefaultConnectionSettings = new ConnectionSettings { ScheduleInterval = portal.ScheduleInterval, Direction = SyncDirection.Both };
    })
    .UseSqlite($"Data Source={Path.Combine(portal.ResolvedDataDirectory, "crmsync-portal.db")}")
    .AddHubSpot(o =>
    {
        o.ClientId = "crmsync-simulator-client";
        o.ClientSecret = "crmsync-simulator-secret";
        o.ApiBaseAddress = hubspot.BaseUrl;
        o.AuthorizeBaseAddress = hubspot.BaseUrl;
        o.AppBaseAddress = hubspot.BaseUrl;
    })
    .AddSalesforce(o =>
    {
        o.ClientId = "crmsync-simulator-client";
        o.ClientSecret = "crmsync-simulator-secret";
        o.LoginBaseAddress = salesforce.BaseUrl;
    })
    .AddPipedrive(o =>
    {
        o.ClientId = "sim-client-id";
        o.ClientSecret = "sim-client-secret";
        o.ApiBaseAddress = pipedrive.BaseUrl;
        o.OAuthBaseAddress = pipedrive.BaseUrl;
        o.AppBaseAddress = pipedrive.BaseUrl;
    })
    .AddZoho(o =>
    {
        o.ClientId = "1000.SIMCLIENT";
        o.ClientSecret = "sim-client-secret";
        foreach (var (id, region) in zohoRegions)
        {
            // Each datacenter's sign-in and API hosts, as the simulator serves them.
            o.DataCenters[id].AccountsBaseAddress = zoho.GetAccountsServer(region);
            o.DataCenters[id].ApiBaseAddress = zoho.GetApiDomain(region);
            o.DataCenters[id].AppBaseAddress = zoho.GetCrmWebUrl(region);
        }
    })
    .AddReapit(o =>
    {
        o.ClientId = reapit.ClientId;
        o.ClientSecret = reapit.ClientSecret;
        o.BaseUrl = reapit.BaseUrl;
        o.TokenUrl = reapit.TokenUrl;
    })
    .AddOpenApiCrm(harborProfile)
    .AddHostRecordSource<DemoContacts>()
    .AddAlertRecipients<DemoAlertRecipients>()
    .AddImportSink(importSink);
builder.Services.AddSingleton<ICrmProvider>(sp => sp.GetRequiredService<InMemoryCrmProvider>());
builder.Services.AddSingleton<ICrmOAuthProvider>(sp => sp.GetRequiredService<InMemoryCrmProvider>());

builder.Services.AddCrmSyncWidgets(o => o.RefreshInterval = portal.WidgetRefreshInterval);
builder.Services.AddSingleton<ActivityGenerator>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ActivityGenerator>());

// A separate tenant with one connection in every state, for the widget gallery.
builder.Services.AddSingleton(new InMemoryCrmProvider(GallerySeeder.ProviderName, timeProvider: clock) { DisplayName = "Gallery CRM" });
builder.Services.AddHostedService<GallerySeeder>();

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o =>
    {
        o.LoginPath = "/signin";
        o.AccessDeniedPath = "/access-denied";
    });
builder.Services.AddAuthorization();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddAntiforgery();

var app = builder.Build();
app.Lifetime.ApplicationStopped.Register(() =>
{
    hubspot.Dispose();
    salesforce.Dispose();
    pipedrive.Dispose();
    zoho.Dispose();
    reapit.Dispose();
    harbor.Dispose();
});

// Dates and numbers follow the browser's language (en-US, en-GB, fr-FR, de-DE); the widgets read CurrentCulture.
app.UseRequestLocalization(o => o.SetDefaultCulture("en-US").AddSupportedCultures("en-US", "en-GB", "fr-FR", "de-DE").AddSupportedUICultures("en-US"));
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapPost("/account/signin", async (HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string role, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
{
    var principal = DemoUsers.Principal(role);
    if (principal is null)
    {
        return Results.BadRequest($"Unknown demo role '{role}'. Use owner, admin, manager or member.");
    }

    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    return Results.LocalRedirect(string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith('/') ? "/crm" : returnUrl);
});

// The nav's theme switcher: remembers light, dark or auto (the viewer's system setting) in a cookie.
app.MapGet("/theme/{value}", (string value, HttpContext http) =>
{
    if (PortalTheme.Valid(value) is not { } theme)
    {
        return Results.BadRequest($"Unknown theme '{value}'. Use {string.Join(", ", PortalTheme.All)}.");
    }

    http.Response.Cookies.Append(PortalTheme.CookieName, theme, new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, IsEssential = true });
    var back = http.Request.Headers.Referer.ToString();
    return Results.LocalRedirect(Uri.TryCreate(back, UriKind.Absolute, out var uri) && uri.Host == http.Request.Host.Host ? uri.PathAndQuery : "/crm");
});

app.MapPost("/account/signout", async (HttpContext http) =>
{
    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    return Results.LocalRedirect("/signin");
});

// The OAuth redirect target: CrmSync checks the one-time state and the PKCE verifier, then stores the tokens encrypted.
// Both are bound to the signed-in user's tenant: a sign-in begun in another workspace is refused, never guessed.
app.MapGet("/crmsync/signin-callback", async (HttpContext http, string? state, string? code, string? error, CrmSyncClient sync) =>
{
    if (error is not null || code is null)
    {
        return Results.LocalRedirect($"/settings/integrations?error={Uri.EscapeDataString(error ?? "The CRM did not return a sign-in code.")}");
    }

    if (http.User.FindFirst(DemoUsers.TenantClaim)?.Value is not { } tenantId)
    {
        return Results.Forbid();
    }

    // Everything the CRM sent back: Zoho's location and accounts-server say where the account really lives.
    var callback = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
    try
    {
        if (state is null)
        {
            // "Install" on a CRM's marketplace listing (Pipedrive) comes back with a code and no state: hold the tokens for
            // this user's tenant and let the user confirm which account to connect. Other CRMs always send state back.
            var installers = sync.Providers.Where(p => p.Capabilities.InstallsWithoutState).ToList();
            if (installers.Count != 1)
            {
                return Results.LocalRedirect($"/settings/integrations?error={Uri.EscapeDataString("The sign-in came back without the state the demo issued. Start it again from this page.")}");
            }

            var redirectUri = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/crmsync/signin-callback");
            var install = await sync.BeginInstallAsync(tenantId, installers[0].Name, code, redirectUri, callback);
            return Results.LocalRedirect($"/settings/integrations/install/{Uri.EscapeDataString(install.Id)}");
        }

        var connection = await sync.CompleteSignInAsync(tenantId, state, code, callback);
        var notice = connection.SignInNotice is { } n ? "&notice=" + Uri.EscapeDataString(n) : string.Empty;
        var first = (await sync.GetConnectionsAsync(connection.TenantId)).Count(c => c.Checklist.Connected) == 1 ? "&first=1" : string.Empty;
        return Results.LocalRedirect($"/settings/integrations/{connection.Provider}?connected=1{first}{notice}");
    }
    catch (CrmSyncException ex)
    {
        return Results.LocalRedirect($"/settings/integrations?error={Uri.EscapeDataString(ex.Message)}");
    }
}).RequireAuthorization(CrmSyncPolicies.ManageConnections);

// Demo-only read-back of what a simulated CRM stores, so you (and the browser tests) can check what landed.
app.MapGet("/demo/crm/{provider}/records/{objectType}", (string provider, string objectType, DemoCrms crms) =>
    crms.All.Any(c => string.Equals(c.Provider, provider, StringComparison.OrdinalIgnoreCase))
        ? Results.Ok(crms.Get(provider).GetRecords(objectType))
        : Results.NotFound($"No simulated CRM '{provider}'."))
    .RequireAuthorization();

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The portal's entry point, visible to the browser tests.</summary>
public partial class Program
{
    /// <summary>Closed deals in the HubSpot simulator, so the import wizard and inbox have something to bring in.</summary>
    private static void SeedHubSpotDeals(HubSpotSimulator hubspot)
    {
        string[] companies = ["Northwind Traders", "Contoso Pharma", "Fabrikam Retail", "Tailspin Toys", "Wide World Importers", "Adventure Works", "Litware", "Proseware"];
        for (var i = 0; i < companies.Length; i++)
        {
            var company = hubspot.SeedCompany(companies[i], companies[i].Split(' ')[0].ToLowerInvariant() + ".example");
            hubspot.SeedDeal($"{companies[i]} renewal", i % 4 == 0 ? "closedwon" : "closedlost", companyId: company, amount: 5_000 + (i * 1_250));
        }
    }
}
