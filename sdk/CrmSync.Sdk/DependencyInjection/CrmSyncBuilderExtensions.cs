using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Extension points of <see cref="ICrmSyncBuilder"/>.</summary>
public static class CrmSyncBuilderExtensions
{
    /// <summary>Registers a CRM provider.</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddProvider<TProvider>(this ICrmSyncBuilder builder)
        where TProvider : class, ICrmProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ProviderRegistration<TProvider>)))
        {
            // Registering the same provider twice is harmless.
            return builder;
        }

        builder.Services.AddSingleton<ProviderRegistration<TProvider>>();

        // A provider package may register its own factory for TProvider first; keep it.
        builder.Services.TryAddSingleton<TProvider>();
        builder.Services.AddSingleton<ICrmProvider>(sp => sp.GetRequiredService<TProvider>());
        if (typeof(ICrmOAuthProvider).IsAssignableFrom(typeof(TProvider)))
        {
            builder.Services.AddSingleton(sp => (ICrmOAuthProvider)sp.GetRequiredService<TProvider>());
        }

        return builder;
    }

    /// <summary>Registers a provider instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddProvider(this ICrmSyncBuilder builder, ICrmProvider provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        builder.Services.AddSingleton(provider);
        if (provider is ICrmOAuthProvider oauth)
        {
            builder.Services.AddSingleton(oauth);
        }

        return builder;
    }

    /// <summary>Uses a store. Stores normally register themselves (<c>.UseSqlite(…)</c>); this is for custom ones.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder UseStore<TStore>(this ICrmSyncBuilder builder)
        where TStore : class, ICrmSyncStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ICrmSyncStore>();
        builder.Services.AddSingleton<ICrmSyncStore, TStore>();
        return builder;
    }

    /// <summary>Adds an alert sink (email, in-app notification…). Alerts are always stored for the nav badge as well.</summary>
    /// <typeparam name="TSink">The sink type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddAlertSink<TSink>(this ICrmSyncBuilder builder)
        where TSink : class, ICrmSyncAlertSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ICrmSyncAlertSink, TSink>());
        return builder;
    }

    /// <summary>Sets who receives alerts (for example the organisation owner); the last one set wins.</summary>
    /// <typeparam name="TRecipients">The type that names recipients.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddAlertRecipients<TRecipients>(this ICrmSyncBuilder builder)
        where TRecipients : class, ICrmSyncAlertRecipients
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ICrmSyncAlertRecipients>();
        builder.Services.AddSingleton<ICrmSyncAlertRecipients, TRecipients>();
        return builder;
    }

    /// <summary>Adds a per-record progress observer (for example a workflow timeline).</summary>
    /// <typeparam name="TObserver">The observer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddProgressObserver<TObserver>(this ICrmSyncBuilder builder)
        where TObserver : class, ICrmSyncProgressObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ICrmSyncProgressObserver, TObserver>());
        return builder;
    }

    /// <summary>Sets the source of the host's existing contacts, read by "Import existing" and "Resync existing contacts".</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddHostRecordSource<TSource>(this ICrmSyncBuilder builder)
        where TSource : class, IHostRecordSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IHostRecordSource>();
        builder.Services.AddSingleton<IHostRecordSource, TSource>();
        return builder;
    }
}

/// <summary>Marks a provider type as registered, so registering it twice adds it once.</summary>
/// <typeparam name="TProvider">The provider type.</typeparam>
internal sealed class ProviderRegistration<TProvider>;
