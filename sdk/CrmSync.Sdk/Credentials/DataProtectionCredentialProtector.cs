using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace CrmSync.Sdk;

/// <summary>Protects credentials with ASP.NET Core Data Protection under the purpose <c>CrmSync.Credentials.v1</c>.</summary>
internal sealed class DataProtectionCredentialProtector : ICrmCredentialProtector
{
    internal const string Purpose = "CrmSync.Credentials.v1";
    private readonly IDataProtector _protector;

    public DataProtectionCredentialProtector(IDataProtectionProvider provider)
    {
        _protector = provider.CreateProtector(Purpose);
    }

    public string Protect(CrmCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return _protector.Protect(JsonSerializer.Serialize(credentials, CrmSyncJson.Options));
    }

    public CrmCredentials Unprotect(string protectedPayload)
    {
        try
        {
            return JsonSerializer.Deserialize<CrmCredentials>(_protector.Unprotect(protectedPayload), CrmSyncJson.Options)
                ?? throw new CrmCredentialsUnreadableException();
        }
        catch (CryptographicException ex)
        {
            // The key ring changed (keys not persisted, or another app's keys): the user has to reconnect.
            throw new CrmCredentialsUnreadableException(ex);
        }
    }
}
