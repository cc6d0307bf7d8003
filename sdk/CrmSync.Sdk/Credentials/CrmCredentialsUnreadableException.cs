namespace CrmSync.Sdk;

/// <summary>Stored credentials can no longer be decrypted (for example the Data Protection keys were not persisted). The user must reconnect.</summary>
public sealed class CrmCredentialsUnreadableException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="innerException">The cause.</param>
    public CrmCredentialsUnreadableException(Exception? innerException = null)
        : base("Stored CRM credentials can no longer be decrypted; persist the Data Protection key ring and reconnect the CRM.", null, innerException)
    {
    }
}
