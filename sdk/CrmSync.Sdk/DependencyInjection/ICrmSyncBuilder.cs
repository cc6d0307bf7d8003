using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk;

/// <summary>Returned by <c>services.AddCrmSync()</c>; stores and providers chain on it (<c>.UseSqlite(…)</c>, <c>.AddHubSpot(…)</c>).</summary>
public interface ICrmSyncBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The default builder.</summary>
internal sealed class CrmSyncBuilder(IServiceCollection services) : ICrmSyncBuilder
{
    public IServiceCollection Services { get; } = services;
}
