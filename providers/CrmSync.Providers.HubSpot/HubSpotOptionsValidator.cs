using Microsoft.Extensions.Options;

namespace CrmSync.Providers.HubSpot;

/// <summary>Data-annotation checks of <see cref="HubSpotOptions"/> (including the request budget), source generated.</summary>
[OptionsValidator]
internal sealed partial class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>
{
}

/// <summary>Cross-field rules of <see cref="HubSpotOptions"/> that attributes cannot express.</summary>
internal sealed class HubSpotOptionsRulesValidator : IValidateOptions<HubSpotOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotOptions options)
    {
        var errors = options.ValidateCommon(
            "HubSpot",
            (nameof(options.ApiBaseAddress), options.ApiBaseAddress),
            (nameof(options.AuthorizeBaseAddress), options.AuthorizeBaseAddress),
            (nameof(options.AppBaseAddress), options.AppBaseAddress)).ToList();
        if (!options.HasOAuthClient)
        {
            errors.Add("HubSpot: ClientId and ClientSecret of the HubSpot app are required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
