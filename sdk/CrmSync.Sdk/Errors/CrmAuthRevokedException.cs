namespace CrmSync.Sdk;

/// <summary>The CRM refused the credentials for good (revoked app, <c>invalid_grant</c>): the connection needs Reconnect.</summary>
public sealed class CrmAuthRevokedException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="reason">A plain-language reason shown to users, without secrets.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="innerException">The cause.</param>
    public CrmAuthRevokedException(string reason, string? provider, Exception? innerException = null)
        : base(reason, provider, innerException)
    {
        Reason = reason;
    }

    /// <summary>Gets the plain-language reason.</summary>
    public string Reason { get; }
}
