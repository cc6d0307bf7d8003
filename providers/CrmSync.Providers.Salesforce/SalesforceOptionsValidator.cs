using Microsoft.Extensions.Options;

namespace CrmSync.Providers.Salesforce;

/// <summary>Cross-field rules of <see cref="SalesforceOptions"/> that attributes cannot express.</summary>
internal sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var errors = new List<string>();
        var uri = options.LoginBaseAddress;
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"Salesforce: LoginBaseAddress must be an absolute http(s) address; got '{uri}'.");
        }

        if (options.TotalRequestTimeout < options.AttemptTimeout)
        {
            errors.Add($"Salesforce: TotalRequestTimeout ({options.TotalRequestTimeout}) must be at least AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.RequestBudget is null)
        {
            errors.Add("Salesforce: RequestBudget must be set.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
