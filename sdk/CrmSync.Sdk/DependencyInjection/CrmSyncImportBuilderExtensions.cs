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
}
