using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets.Tests;

public class CrmSyncWidgetsRegistrationTests
{
    [Fact]
    public void AddCrmSyncWidgets_Defaults_RegistersRolePolicies()
    {
        // Arrange
        var services = new ServiceCollection();

        // Act
        services.AddCrmSyncWidgets();
        using var provider = services.BuildServiceProvider();

        // Assert
        var options = provider.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        Assert.Equal(["owner", "admin"], Roles(options, CrmSyncPolicies.ManageConnections));
        Assert.Equal(["manager", "admin"], Roles(options, CrmSyncPolicies.ApproveImports));
        Assert.NotNull(provider.CreateScope().ServiceProvider.GetRequiredService<CrmSyncWidgetEvents>());
    }

    [Fact]
    public void AddCrmSyncWidgets_CustomRoleNames_UsedByPolicies()
    {
        // Arrange
        var services = new ServiceCollection();

        // Act
        services.AddCrmSyncWidgets(o =>
        {
            o.ManageConnectionsRoles = ["OrgOwner"];
            o.ApproveImportsRoles = ["SalesLead", "OrgOwner"];
        });
        using var provider = services.BuildServiceProvider();

        // Assert
        var options = provider.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        Assert.Equal(["OrgOwner"], Roles(options, CrmSyncPolicies.ManageConnections));
        Assert.Equal(["SalesLead", "OrgOwner"], Roles(options, CrmSyncPolicies.ApproveImports));
    }

    [Fact]
    public void AddCrmSyncWidgets_HostDefinedPolicy_KeepsHostPolicy()
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddAuthorizationCore(o => o.AddPolicy(CrmSyncPolicies.ManageConnections, p => p.RequireClaim("can_manage_crm")));

        // Act
        services.AddCrmSyncWidgets();
        using var provider = services.BuildServiceProvider();

        // Assert
        var policy = provider.GetRequiredService<IOptions<AuthorizationOptions>>().Value.GetPolicy(CrmSyncPolicies.ManageConnections)!;
        Assert.IsType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>(Assert.Single(policy.Requirements));
    }

    [Fact]
    public void AddCrmSyncWidgets_NoRoles_FailsLoudly()
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddCrmSyncWidgets(o => o.ManageConnectionsRoles = []);
        using var provider = services.BuildServiceProvider();

        // Act
        var error = Record.Exception(() => provider.GetRequiredService<IOptions<AuthorizationOptions>>().Value);

        // Assert
        Assert.IsType<OptionsValidationException>(error);
    }

    private static string[] Roles(AuthorizationOptions options, string policy) =>
        options.GetPolicy(policy)!.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().Single().AllowedRoles.ToArray();
}
