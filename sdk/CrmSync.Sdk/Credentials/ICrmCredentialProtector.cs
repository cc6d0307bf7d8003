namespace CrmSync.Sdk;

/// <summary>Encrypts credentials at rest. The default uses ASP.NET Core Data Protection.</summary>
public interface ICrmCredentialProtector
{
    /// <summary>Encrypts credentials for storage.</summary>
    /// <param name="credentials">The credentials.</param>
    /// <returns>An opaque protected payload.</returns>
    string Protect(CrmCredentials credentials);

    /// <summary>Decrypts stored credentials.</summary>
    /// <param name="protectedPayload">The payload from <see cref="Protect"/>.</param>
    /// <returns>The credentials.</returns>
    CrmCredentials Unprotect(string protectedPayload);
}
