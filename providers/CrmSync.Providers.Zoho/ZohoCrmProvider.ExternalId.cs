using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Zoho;

/// <content>The external-id field: found, or created once per connection and module before the first write.</content>
public sealed partial class ZohoCrmProvider
{
    /// <summary>The label of the external-id field CrmSync creates (Zoho derives the API name <c>CrmSync_External_Id</c> from it).</summary>
    public const string ExternalIdFieldLabel = "CrmSync External Id";

    /// <summary>The external-id field's API name per connection, module and configured field, once known; failed lookups are forgotten.</summary>
    private readonly ConcurrentDictionary<(Guid Connection, string Module, string Field), Task<string?>> _ensuredFields = new();

    /// <summary>
    /// Returns the API name of the external-id field of a module, creating CrmSync's own field when the default is used and the
    /// module has none; <see langword="null"/> when a host-chosen field does not exist. Remembered per connection once found.
    /// </summary>
    /// <exception cref="CrmRequestFailedException">Zoho refused to create the field (<see cref="CrmProblemType.PermissionDenied"/>) or answered an error.</exception>
    private Task<string?> EnsureExternalIdFieldAsync(CrmProviderContext context, string module, string field, bool autoCreate, CancellationToken cancellationToken)
    {
        var key = (context.ConnectionId, module, field);
        var task = _ensuredFields.GetOrAdd(key, _ => EnsureExternalIdFieldCoreAsync(context, module, field, autoCreate, cancellationToken));
        return AwaitEnsuredAsync(key, task);
    }

    private async Task<string?> AwaitEnsuredAsync((Guid, string, string) key, Task<string?> task)
    {
        string? apiName;
        try
        {
            apiName = await task.ConfigureAwait(false);
        }
        catch
        {
            // Failed (refused, outage, revoked, cancelled): the next write checks again.
            _ensuredFields.TryRemove(new KeyValuePair<(Guid, string, string), Task<string?>>(key, task));
            throw;
        }

        if (apiName is null)
        {
            // Missing: an admin may create it before the next write.
            _ensuredFields.TryRemove(new KeyValuePair<(Guid, string, string), Task<string?>>(key, task));
        }

        return apiName;
    }

    private async Task<string?> EnsureExternalIdFieldCoreAsync(CrmProviderContext context, string module, string field, bool autoCreate, CancellationToken cancellationToken)
    {
        var fields = await ListModuleFieldsAsync(context, module, cancellationToken).ConfigureAwait(false);
        if (fields.FirstOrDefault(f => string.Equals(f.ApiName, field, StringComparison.OrdinalIgnoreCase))?.ApiName is { } existing)
        {
            return existing;
        }

        if (!autoCreate)
        {
            return null;
        }

        if (Labelled(fields) is { } labelled)
        {
            return labelled;
        }

        var request = new ZohoFieldCreateRequest
        {
            Fields =
            [
                new ZohoFieldDefinition { FieldLabel = ExternalIdFieldLabel, DataType = "text", Length = 255, Unique = new ZohoUniqueSetting { CaseSensitive = false } },
            ],
        };
        using var response = await SendAsync(
            context,
            (api, auth, baseAddress, ct) => api.CreateFieldsAsync(module, request, auth, context.ConnectionId, baseAddress, ct),
            cancellationToken,
            passScopeMismatch: true).ConfigureAwait(false);
        var body = ReadAnswer(response);
        var item = body?.Fields is [{ } first, ..] ? first : null;
        var code = item?.Code ?? body?.Code;
        if (item is { Status: "success" } && DetailString(item.Details, "id") is { } id)
        {
            var listed = await ListModuleFieldsAsync(context, module, cancellationToken).ConfigureAwait(false);
            var created = listed.FirstOrDefault(f => f.Id == id)?.ApiName ?? Labelled(listed);
            if (created is null)
            {
                throw new CrmRequestFailedException($"Zoho CRM created CrmSync's external-id field on {module} (field {id}) but does not list it. Click Retry in a minute.", Name, (int?)response.StatusCode, CrmProblemType.Unknown);
            }

            Log.ExternalIdFieldCreated(_logger, created, module, context.ConnectionId);
            return created;
        }

        if (code == "DUPLICATE_DATA" && Labelled(await ListModuleFieldsAsync(context, module, cancellationToken).ConfigureAwait(false)) is { } raced)
        {
            // Created meanwhile (another run, or an admin).
            return raced;
        }

        var status = (int?)response.StatusCode ?? 0;
        var reason = code switch
        {
            "NO_PERMISSION" or "PERMISSION_DENIED" => "the connected Zoho CRM user's profile may not customize Zoho CRM",
            "OAUTH_SCOPE_MISMATCH" => "the sign-in did not grant CrmSync permission to add fields; reconnecting and accepting every permission also fixes this",
            _ => null,
        };
        if (reason is not null)
        {
            Log.ExternalIdFieldRefused(_logger, module, context.ConnectionId, code!);
            throw new CrmRequestFailedException(
                $"Zoho CRM did not let CrmSync create its external-id field on {module} ({reason}). An admin can create it once: Setup › Customization › Modules and Fields › {module} › add a Single Line field '{ExternalIdFieldLabel}' (length 255) with 'Do not allow duplicate values'; then click Retry.",
                Name, status, CrmProblemType.PermissionDenied, code);
        }

        var message = item?.Message ?? body?.Message ?? (response.Error as ApiException)?.Content;
        throw new CrmRequestFailedException(
            $"Zoho CRM could not create CrmSync's external-id field on {module}: HTTP {status} {code} {CrmHttpFailures.DescribeBody(message)}".TrimEnd(),
            Name, status, ProblemOf(code, null), code);
    }

    private static string? Labelled(IEnumerable<ZohoField> fields) =>
        fields.FirstOrDefault(f => string.Equals(f.FieldLabel?.Trim(), ExternalIdFieldLabel, StringComparison.OrdinalIgnoreCase))?.ApiName;

    /// <summary>Whether a record uses the default external-id field, the only one CrmSync creates itself.</summary>
    private bool UsesDefaultExternalIdField(CrmRecordWrite record) =>
        string.Equals(record.ExternalIdField, FieldMapping.DefaultExternalIdField, StringComparison.Ordinal)
        && string.Equals(_options.ExternalIdField, ZohoOptions.DefaultExternalIdField, StringComparison.Ordinal);

    private async Task<List<ZohoField>> ListModuleFieldsAsync(CrmProviderContext context, string module, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetFieldsAsync(module, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "list the fields of " + module);
        return (response.Content!.Fields ?? []).Where(f => !string.IsNullOrWhiteSpace(f.ApiName)).ToList();
    }
}
