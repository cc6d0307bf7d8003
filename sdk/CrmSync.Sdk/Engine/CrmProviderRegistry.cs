namespace CrmSync.Sdk;

/// <summary>The providers registered in DI, by name.</summary>
internal sealed class CrmProviderRegistry
{
    private readonly Dictionary<string, ICrmProvider> _providers;
    private readonly Dictionary<string, ICrmOAuthProvider> _oauth;

    public CrmProviderRegistry(IEnumerable<ICrmProvider> providers, IEnumerable<ICrmOAuthProvider> oauth)
    {
        _providers = new(StringComparer.OrdinalIgnoreCase);
        foreach (var p in providers)
        {
            _providers[p.Name] = p;
        }

        _oauth = new(StringComparer.OrdinalIgnoreCase);
        foreach (var o in oauth)
        {
            _oauth[o.Name] = o;
        }
    }

    public IReadOnlyCollection<ICrmProvider> All => _providers.Values;

    public ICrmProvider Get(string name) => _providers.TryGetValue(name, out var p)
        ? p
        : throw new CrmValidationException("Provider", [new("Provider", $"No CRM provider named '{name}' is registered. Registered: {string.Join(", ", _providers.Keys.Order(StringComparer.Ordinal))}.")]);

    public bool TryGet(string name, out ICrmProvider provider) => _providers.TryGetValue(name, out provider!);

    public ICrmOAuthProvider? GetOAuth(string name) => _oauth.GetValueOrDefault(name);
}
