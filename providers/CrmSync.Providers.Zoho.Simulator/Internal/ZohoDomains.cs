namespace CrmSync.Providers.Zoho.Simulator.Internal;

/// <summary>Host names and location codes of each data centre, as in the contract (section 5.1).</summary>
internal static class ZohoDomains
{
    public static readonly ZohoDataCenter[] All = [ZohoDataCenter.Us, ZohoDataCenter.Eu, ZohoDataCenter.In, ZohoDataCenter.Au, ZohoDataCenter.Jp];

    public static string Tld(ZohoDataCenter dc) => dc switch
    {
        ZohoDataCenter.Us => "com",
        ZohoDataCenter.Eu => "eu",
        ZohoDataCenter.In => "in",
        ZohoDataCenter.Au => "com.au",
        ZohoDataCenter.Jp => "jp",
        _ => throw new ArgumentOutOfRangeException(nameof(dc), dc, "Unknown data centre."),
    };

    public static string AccountsHost(ZohoDataCenter dc) => "accounts.zoho." + Tld(dc);

    public static string ApiHost(ZohoDataCenter dc) => "www.zohoapis." + Tld(dc);

    public static string Location(ZohoDataCenter dc) => dc.ToString().ToLowerInvariant();

    /// <summary>Resolves a host name to its data centre and whether it is the accounts server.</summary>
    public static bool TryResolve(string host, out ZohoDataCenter dc, out bool isAccounts)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(host, AccountsHost(candidate), StringComparison.OrdinalIgnoreCase))
            {
                dc = candidate;
                isAccounts = true;
                return true;
            }

            if (string.Equals(host, ApiHost(candidate), StringComparison.OrdinalIgnoreCase))
            {
                dc = candidate;
                isAccounts = false;
                return true;
            }
        }

        dc = default;
        isAccounts = false;
        return false;
    }

    /// <summary>Splits <c>/{host}/rest</c> into host and rest when the first segment is a known Zoho host.</summary>
    public static (string? Host, string Remainder) SplitPrefix(string path)
    {
        var trimmed = path.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? trimmed : trimmed[..slash];
        return TryResolve(first, out _, out _)
            ? (first, slash < 0 ? "/" : trimmed[slash..])
            : (null, path);
    }
}
