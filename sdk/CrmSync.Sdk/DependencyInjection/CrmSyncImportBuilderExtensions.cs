using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Extension points of the fetch direction on <see cref="ICrmSyncBuilder"/>.</summary>
public static class CrmSyncImportBuilderExtensions
{
    /// <summary>Sets the host's sink for approved import items: the only way fetched CRM data reaches the host.</summary>
    /// <typeparam name="TSink">The sink type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddImportSink<TSink>(this ICrmSyncBuilder builder)
        where TSink : class, ICrmImportSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ICrmImportSink>();
        builder.Services.AddSingleton<ICrmImportSink, TSink>();
        return builder;
    }

    /// <summary>Sets a sink instance for approved import items.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sink">The sink.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddImportSink(this ICrmSyncBuilder builder, ICrmImportSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        builder.Services.RemoveAll<ICrmImportSink>();
        builder.Services.AddSingleton(sink);
        return builder;
    }

    /// <summary>Sets the host's retry of lead-source integrations in Failed Sync; the hosted scheduler calls it when a retry is due.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddLeadSourceRetryHandler<THandler>(this ICrmSyncBuilder builder)
        where THandler : class, ICrmLeadSourceRetryHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ICrmLeadSourceRetryHandler>();
        builder.Services.AddSingleton<ICrmLeadSourceRetryHandler, THandler>();
        return builder;
    }

    /// <summary>Sets a handler instance for lead-source retries.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddLeadSourceRetryHandler(this ICrmSyncBuilder builder, ICrmLeadSourceRetryHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.RemoveAll<ICrmLeadSourceRetryHandler>();
        builder.Services.AddSingleton(handler);
        return builder;
    }
}
