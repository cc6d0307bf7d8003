using CrmSync.Sdk;
using Microsoft.AspNetCore.DataProtection;

namespace CrmSync.Samples.Docs;

/// <summary>The code of docs/getting-started.md.</summary>
public static class GettingStarted
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region Snippet:Register
        var cfg = builder.Configuration;
        builder.Services.AddCrmSync(o =>
            {
                o.ProductName = "Acme";                              // "Acme Sync Test" is the test contact's name
                o.ConnectionPageUrl = "/settings/integrations/{provider}";
                o.BaseAddress = new Uri("https://app.acme.example/"); // absolute links in alerts
            })
            .UseSqlite("Data Source=crmsync.db")
            .AddHubSpot(o => { o.ClientId = cfg["HubSpot:ClientId"]!; o.ClientSecret = cfg["HubSpot:ClientSecret"]!; })
            .AddAlertSink<NotifyOrganisationOwner>()
            .AddHostRecordSource<ExistingContacts>();
        #endregion

        #region Snippet:DataProtection
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo("/var/lib/myapp/keys"))
            .SetApplicationName("myapp");
        #endregion

        #region Snippet:Widgets
        builder.Services.AddCrmSyncWidgets(o => o.ManageConnectionsRoles = ["owner", "admin"]);
        builder.Services.AddCascadingAuthenticationState();
        #endregion
    }

    public static void MapEndpoints(WebApplication app)
    {
        #region Snippet:OAuth
        app.MapGet("/crm/connect/{provider}", async (string provider, CrmSyncClient sync, HttpContext http) =>
        {
            var tenant = http.User.FindFirst("tenant")!.Value;
            var connection = await sync.CreateConnectionAsync(tenant, provider);
            var url = await sync.BeginSignInAsync(tenant, connection.Id, new Uri($"{http.Request.Scheme}://{http.Request.Host}/crm/callback"));
            return Results.Redirect(url.ToString());
        });

        app.MapGet("/crm/callback", async (string state, string code, CrmSyncClient sync) =>
        {
            var connection = await sync.CompleteSignInAsync(state, code);
            return Results.Redirect($"/settings/integrations/{connection.Provider}");
        });
        #endregion
    }

    public static async Task PushAsync(CrmSyncClient sync, string tenant, Contact contact, Call call)
    {
        #region Snippet:Push
        await sync.EnqueueAsync(tenant, new CrmChange(CrmObjectType.Contact, contact.Id, new Dictionary<string, string?>
        {
            [CrmFieldNames.Email] = contact.Email,
            [CrmFieldNames.FirstName] = contact.FirstName,
            [CrmFieldNames.LastName] = contact.LastName,
        }));

        await sync.EnqueueAsync(tenant, new CrmChange(CrmObjectType.Call, call.Id, new Dictionary<string, string?>
        {
            [CrmFieldNames.Subject] = "Discovery call",
            [CrmFieldNames.DurationSeconds] = "540",
        })
        { ContactSourceId = contact.Id });
        #endregion
    }

    /// <summary>A host's contact.</summary>
    public sealed record Contact(string Id, string Email, string FirstName, string LastName);

    /// <summary>A host's call.</summary>
    public sealed record Call(string Id);

    #region Snippet:AlertSink
    /// <summary>Sends "HubSpot failed to sync 3 times in a row" to the organisation owner.</summary>
    public sealed class NotifyOrganisationOwner(ILogger<NotifyOrganisationOwner> logger) : ICrmSyncAlertSink
    {
        public Task SendAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
        {
            // Replace with your email or in-app notification service.
            logger.LogWarning("Notify owner of {Tenant}: {Message} {Link}", alert.TenantId, alert.Message, alert.Link);
            return Task.CompletedTask;
        }
    }
    #endregion

    #region Snippet:HostRecordSource
    /// <summary>The host's existing contacts, streamed for "Import existing" and "Resync existing contacts".</summary>
    public sealed class ExistingContacts : IHostRecordSource
    {
        public async IAsyncEnumerable<CrmChange> GetExistingContactsAsync(string tenantId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            // Read your database page by page; never load every contact at once.
            await Task.Yield();
            yield return new CrmChange(CrmObjectType.Contact, "contact-1", new Dictionary<string, string?> { [CrmFieldNames.Email] = "ada@example.com" });
        }
    }
    #endregion
}
