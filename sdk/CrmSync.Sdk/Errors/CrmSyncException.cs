namespace CrmSync.Sdk;

/// <summary>
/// Base of every error CrmSync raises. Messages never contain credentials: provider bodies are
/// passed through <see cref="SecretRedactor"/> before they reach an exception.
/// </summary>
public abstract class CrmSyncException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The message, without secrets.</param>
    /// <param name="provider">The provider name, when a provider is involved.</param>
    /// <param name="innerException">The cause.</param>
    protected CrmSyncException(string message, string? provider = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
    }

    /// <summary>Gets the provider name (for example <c>hubspot</c>), when a provider is involved.</summary>
    public string? Provider { get; }
}
