using Microsoft.Extensions.Options;

namespace CrmSync.Providers.Zoho;

/// <summary>Data-annotation checks of <see cref="ZohoOptions"/>, source generated.</summary>
[OptionsValidator]
internal sealed partial class ZohoOptionsValidator : IValidateOptions<ZohoOptions>
{
}

/// <summary>Cross-field rules of <see cref="ZohoOptions"/>: every datacenter complete, the default one defined, a known module.</summary>
internal sealed class ZohoOptionsRulesValidator : IValidateOptions<ZohoOptions>
{
    public ValidateOptionsResult Validate(string? name, ZohoOptions options)
    {
        var failures = options.ValidateCommon("Zoho CRM").ToList();
        if (!options.HasOAuthClient)
        {
            failures.Add("Zoho CRM: ClientId and ClientSecret from the Zoho API console are required.");
        }

        if (options.DataCenters is null || options.DataCenters.Count == 0)
        {
            failures.Add("ZohoOptions.DataCenters must list at least one datacenter.");
        }
        else
        {
            foreach (var (id, dc) in options.DataCenters)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    failures.Add("ZohoOptions.DataCenters has an entry without an id.");
                    continue;
                }

                if (dc is null)
                {
                    failures.Add($"ZohoOptions.DataCenters['{id}'] is empty.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(dc.DisplayName))
                {
                    failures.Add($"ZohoOptions.DataCenters['{id}'].DisplayName must be set.");
                }

                CheckUrl(failures, $"DataCenters['{id}'].AccountsBaseAddress", dc.AccountsBaseAddress);
                CheckUrl(failures, $"DataCenters['{id}'].ApiBaseAddress", dc.ApiBaseAddress);
                CheckUrl(failures, $"DataCenters['{id}'].AppBaseAddress", dc.AppBaseAddress);
            }

            if (!options.DataCenters.ContainsKey(options.DefaultDataCenter ?? string.Empty))
            {
                failures.Add($"ZohoOptions.DefaultDataCenter '{options.DefaultDataCenter}' is not one of the DataCenters ({string.Join(", ", options.DataCenters.Keys)}).");
            }
        }

        if (!ZohoCrmProvider.IsPersonModule(options.ContactModule))
        {
            failures.Add($"ZohoOptions.ContactModule '{options.ContactModule}' must be 'Contacts' or 'Leads'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string property, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"ZohoOptions.{property} '{url}' must be an absolute http or https URL.");
        }
    }
}
