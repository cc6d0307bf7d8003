using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>Data-annotation checks of <see cref="CrmSyncOptions"/>, source generated.</summary>
[OptionsValidator]
internal sealed partial class CrmSyncOptionsValidator : IValidateOptions<CrmSyncOptions>
{
}

/// <summary>Cross-field rules of <see cref="CrmSyncOptions"/>.</summary>
internal sealed class CrmSyncOptionsRulesValidator : IValidateOptions<CrmSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, CrmSyncOptions options)
    {
        var failures = new List<string>();
        if (options.Status.AmberSuccessRate > options.Status.GreenSuccessRate)
        {
            failures.Add($"CrmSyncOptions.Status.AmberSuccessRate ({options.Status.AmberSuccessRate}) must not exceed GreenSuccessRate ({options.Status.GreenSuccessRate}).");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionPageUrl))
        {
            failures.Add("CrmSyncOptions.ConnectionPageUrl must be set (for example '/settings/integrations/{provider}').");
        }

        if (options.Status.OutageAlertAfter < options.Status.OutageAfter)
        {
            failures.Add($"CrmSyncOptions.Status.OutageAlertAfter ({options.Status.OutageAlertAfter}) must not be shorter than OutageAfter ({options.Status.OutageAfter}).");
        }

        if (string.IsNullOrWhiteSpace(options.IntegrationsPageUrl))
        {
            failures.Add("CrmSyncOptions.IntegrationsPageUrl must be set (for example '/settings/integrations').");
        }

        if (options.BaseAddress is { IsAbsoluteUri: false })
        {
            failures.Add($"CrmSyncOptions.BaseAddress '{options.BaseAddress}' must be an absolute URI.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
