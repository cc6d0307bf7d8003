using Refit;

namespace CrmSync.Sdk.Http;

/// <summary>Creates a provider's Refit client from <see cref="IHttpClientFactory"/>, one per call.</summary>
/// <typeparam name="TApi">The Refit interface.</typeparam>
public sealed class CrmApiClientFactory<TApi>
    where TApi : class
{
    private readonly IHttpClientFactory _factory;
    private readonly string _name;
    private readonly RefitSettings _settings;

    /// <summary>Initializes the factory.</summary>
    /// <param name="factory">The HTTP client factory.</param>
    /// <param name="name">The name of the provider's HTTP client.</param>
    /// <param name="settings">The Refit settings (the CRM's JSON format).</param>
    public CrmApiClientFactory(IHttpClientFactory factory, string name, RefitSettings settings)
    {
        _factory = factory;
        _name = name;
        _settings = settings;
    }

    /// <summary>Creates a client over a fresh <see cref="HttpClient"/> of the provider's named client.</summary>
    /// <returns>The client.</returns>
    public TApi Create() => RestService.ForGenerated<TApi>(_factory.CreateClient(_name), _settings);
}
