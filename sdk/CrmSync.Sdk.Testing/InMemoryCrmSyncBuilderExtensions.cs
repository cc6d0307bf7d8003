using CrmSync.Sdk;
using CrmSync.Sdk.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory provider.</summary>
public static class InMemoryCrmSyncBuilderExtensions
{
    /// <summary>Adds an <see cref="InMemoryCrmProvider"/> (tests and samples).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider instance, so the test can inject failures and read records back.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddInMemoryProvider(this ICrmSyncBuilder builder, InMemoryCrmProvider provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        builder.Services.AddSingleton(provider);
        return builder.AddProvider(provider);
    }
}
