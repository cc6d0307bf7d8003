using Microsoft.Extensions.Options;

namespace CrmSync.Providers.Pipedrive;

/// <summary>Data-annotation checks of <see cref="PipedriveOptions"/>, source generated.</summary>
[OptionsValidator]
internal sealed partial class PipedriveOptionsValidator : IValidateOptions<PipedriveOptions>
{
}

/// <summary>Cross-field rules of <see cref="PipedriveOptions"/>.</summary>
internal sealed class PipedriveOptionsRulesValidator : IValidateOptions<PipedriveOptions>
{
    public ValidateOptionsResult Validate(string? name, PipedriveOptions options)
    {
        var failures = options.ValidateCommon(
            "Pipedrive",
            (nameof(options.ApiBaseAddress), options.ApiBaseAddress),
            (nameof(options.OAuthBaseAddress), options.OAuthBaseAddress),
            (nameof(options.AppBaseAddress), options.AppBaseAddress)).ToList();
        if (options.ExternalIdFieldName is { } fieldName && string.IsNullOrWhiteSpace(fieldName))
        {
            failures.Add("PipedriveOptions.ExternalIdFieldName must not be blank; leave it null for the default name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
