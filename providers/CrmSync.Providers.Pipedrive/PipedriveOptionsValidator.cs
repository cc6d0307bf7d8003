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
        var failures = new List<string>();
        CheckUrl(failures, nameof(PipedriveOptions.ApiBaseUrl), options.ApiBaseUrl);
        CheckUrl(failures, nameof(PipedriveOptions.OAuthBaseUrl), options.OAuthBaseUrl);
        CheckUrl(failures, nameof(PipedriveOptions.AppBaseUrl), options.AppBaseUrl);
        if (string.IsNullOrWhiteSpace(options.ClientId) != string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("PipedriveOptions.ClientId and ClientSecret must be set together (OAuth) or both left empty (API tokens only).");
        }

        if (options.ExternalIdFieldName is { } fieldName && string.IsNullOrWhiteSpace(fieldName))
        {
            failures.Add("PipedriveOptions.ExternalIdFieldName must not be blank; leave it null for the default name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string property, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"PipedriveOptions.{property} '{url}' must be an absolute http or https URL.");
        }
    }
}
