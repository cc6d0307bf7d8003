using CrmSync.Widgets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CrmSync widget kit.</summary>
public static class CrmSyncWidgetsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the widgets' services: options, localization, the per-circuit <see cref="CrmSyncWidgetEvents"/> and
    /// <see cref="CrmSyncAnnouncer"/>, <see cref="TimeProvider.System"/> unless a clock is registered, and the
    /// authorization policies <see cref="CrmSyncPolicies.ManageConnections"/> and <see cref="CrmSyncPolicies.ApproveImports"/>
    /// built from the configured role names. Register CrmSync itself with <c>services.AddCrmSync(…)</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the widgets (role names, refresh interval, links).</param>
    /// <returns>The value of <paramref name="services"/>.</returns>
    public static IServiceCollection AddCrmSyncWidgets(this IServiceCollection services, Action<CrmSyncWidgetOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrmSyncWidgetOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddLocalization();
        services.AddAuthorizationCore();
        services.TryAddScoped<CrmSyncWidgetEvents>();
        services.TryAddScoped<CrmSyncAnnouncer>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, CrmSyncAuthorizationSetup>());
        return services;
    }

    private sealed class CrmSyncAuthorizationSetup(IOptions<CrmSyncWidgetOptions> widgets) : IConfigureOptions<AuthorizationOptions>
    {
        public void Configure(AuthorizationOptions options)
        {
            Add(options, CrmSyncPolicies.ManageConnections, widgets.Value.ManageConnectionsRoles);
            Add(options, CrmSyncPolicies.ApproveImports, widgets.Value.ApproveImportsRoles);
        }

        private static void Add(AuthorizationOptions options, string name, IList<string> roles)
        {
            if (options.GetPolicy(name) is not null)
            {
                // The host defined the policy itself: keep it.
                return;
            }

            if (roles is null || roles.Count == 0)
            {
                throw new OptionsValidationException(nameof(CrmSyncWidgetOptions), typeof(CrmSyncWidgetOptions), [$"Policy '{name}' needs at least one role."]);
            }

            options.AddPolicy(name, p => p.RequireRole(roles));
        }
    }
}
