using Microsoft.Extensions.Options;

namespace CrmSync.Providers.HubSpot;

/// <summary>Cross-field rules of <see cref="HubSpotOptions"/> that attributes cannot express.</summary>
internal sealed class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotOptions options)
    {
        var errors = new List<string>();
        Absolute(options.ApiBaseAddress, nameof(options.ApiBaseAddress), errors);
        Absolute(options.AuthorizeBaseAddress, nameof(options.AuthorizeBaseAddress), errors);
        Absolute(options.AppBaseAddress, nameof(options.AppBaseAddress), errors);
        if (options.TotalRequestTimeout < options.AttemptTimeout)
        {
            errors.Add($"HubSpot: TotalRequestTimeout ({options.TotalRequestTimeout}) must be at least AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.RequestBudget is null)
        {
            errors.Add("HubSpot: RequestBudget must be set.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Absolute(Uri? uri, string property, List<string> errors)
    {
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"HubSpot: {property} must be an absolute http(s) address; got '{uri}'.");
        }
    }
}
