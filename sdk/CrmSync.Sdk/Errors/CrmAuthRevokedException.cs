namespace CrmSync.Sdk;

/// <summary>
/// The CRM refused the credentials for good (revoked app, <c>invalid_grant</c>): the connection needs Reconnect.
/// When the CRM says the sign-in expired (<see cref="CredentialsExpired"/>), the connection is paused with "Expired credentials"
/// (note 004) rather than disconnected.
/// </summary>
public sealed class CrmAuthRevokedException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="reason">A plain-language reason shown to users, without secrets.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="innerException">The cause.</param>
    public CrmAuthRevokedException(string reason, string? provider, Exception? innerException = null)
        : this(reason, provider, credentialsExpired: false, innerException)
    {
    }

    /// <summary>Initializes the exception, saying whether the CRM refused because the sign-in expired.</summary>
    /// <param name="reason">A plain-language reason shown to users, without secrets.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="credentialsExpired">Whether the CRM said the sign-in (refresh token) expired, rather than that access was revoked.</param>
    /// <param name="innerException">The cause.</param>
    public CrmAuthRevokedException(string reason, string? provider, bool credentialsExpired, Exception? innerException = null)
        : base(reason, provider, innerException)
    {
        Reason = reason;
        CredentialsExpired = credentialsExpired;
    }

    /// <summary>Gets the plain-language reason.</summary>
    public string Reason { get; }

    /// <summary>Gets whether the CRM refused because the sign-in expired (Paused, "Expired credentials") rather than because access was revoked (Disconnected).</summary>
    public bool CredentialsExpired { get; }
}
