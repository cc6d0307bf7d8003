using Microsoft.Extensions.Options;

namespace CrmSync.Providers.Salesforce;

/// <summary>Data-annotation checks of <see cref="SalesforceOptions"/> (including the request budget), source generated.</summary>
[OptionsValidator]
internal sealed partial class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
}

/// <summary>Cross-field rules of <see cref="SalesforceOptions"/> that attributes cannot express.</summary>
internal sealed class SalesforceOptionsRulesValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var errors = options.ValidateCommon("Salesforce", (nameof(options.LoginBaseAddress), options.LoginBaseAddress)).ToList();
        if (!options.HasOAuthClient)
        {
            errors.Add("Salesforce: ClientId and ClientSecret (consumer key and secret of the connected app) are required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
