namespace CrmSync.Providers.Salesforce;

/// <summary>Sends data calls to the connection's <c>instance_url</c> (carried as a request option) instead of the login server.</summary>
internal sealed class SalesforceInstanceHandler : DelegatingHandler
{
    public const string InstanceUrlName = "CrmSync.Salesforce.InstanceUrl";

    private static readonly HttpRequestOptionsKey<string> InstanceUrl = new(InstanceUrlName);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(InstanceUrl, out var instance) && request.RequestUri is { } uri
            && Uri.TryCreate(instance.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri))
        {
            request.RequestUri = new Uri(baseUri, uri.PathAndQuery.TrimStart('/'));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
