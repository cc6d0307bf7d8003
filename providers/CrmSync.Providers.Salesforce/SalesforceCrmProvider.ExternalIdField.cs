using System.Net;
using CrmSync.Sdk;
using Refit;

namespace CrmSync.Providers.Salesforce;

/// <content>
/// Creates CrmSync's External ID field (<see cref="SalesforceOptions.ExternalIdField"/>) on Contact or Lead before the first
/// write: Tooling API <c>CustomField</c> (Text(255), External ID, Unique, case-insensitive), then field-level security through a
/// <c>FieldPermissions</c> record on the permission set owned by the connected user's profile, because a field created through
/// the API is invisible to everyone until a permission grants it.
/// </content>
public sealed partial class SalesforceCrmProvider
{
    /// <summary>The label of the field CrmSync creates.</summary>
    internal const string ExternalIdFieldLabel = "CrmSync External Id";

    private const int ExternalIdFieldLength = 255;

    /// <summary>
    /// Checks, once per connection, sObject and field, that the External ID field exists and the connected user can see it;
    /// creates CrmSync's own field when it is missing. A failed check is forgotten, so the next run checks again.
    /// </summary>
    private Task EnsureExternalIdFieldAsync(CrmProviderContext context, string sobject, string field, CancellationToken cancellationToken)
    {
        var key = (context.ConnectionId, sobject, field);
        var task = _ensuredFields.GetOrAdd(key, _ => EnsureExternalIdFieldCoreAsync(context, sobject, field, cancellationToken));
        return AwaitEnsuredAsync(key, task);
    }

    private void ForgetExternalIdField(CrmProviderContext context, string sobject, string field) =>
        _ensuredFields.TryRemove((context.ConnectionId, sobject, field), out _);

    private async Task AwaitEnsuredAsync((Guid, string, string) key, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // Failed (refused, outage, revoked, cancelled): the next call checks again.
            _ensuredFields.TryRemove(new KeyValuePair<(Guid, string, string), Task>(key, task));
            throw;
        }
    }

    private async Task EnsureExternalIdFieldCoreAsync(CrmProviderContext context, string sobject, string field, CancellationToken cancellationToken)
    {
        var fields = await DescribeFieldsAsync(context, sobject, cancellationToken).ConfigureAwait(false);
        var existing = fields.FirstOrDefault(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            if (!existing.ExternalId && !existing.IdLookup)
            {
                throw new CrmRequestFailedException(
                    $"The Salesforce {sobject} field '{field}' is not an External ID field, so CrmSync cannot match records by it. Tick 'External ID' (and 'Unique') on it in Setup › Object Manager › {sobject} › Fields & Relationships, or choose another external-id field.",
                    Name, 400, CrmProblemType.InvalidValue, "NOT_AN_EXTERNAL_ID");
            }

            return;
        }

        if (!string.Equals(field, Options.ExternalIdField, StringComparison.OrdinalIgnoreCase))
        {
            // A field the host chose: CrmSync only ever creates its own.
            throw new CrmRequestFailedException(
                $"Salesforce has no field '{field}' on {sobject} that the connected user can see, so CrmSync cannot match records by it. Create it as a Text field with 'External ID' and 'Unique' ticked, visible and editable for the connected user, or map CrmSync's default external-id field ({Options.ExternalIdField}), which CrmSync creates itself.",
                Name, 404, CrmProblemType.UnknownField, "NOT_FOUND");
        }

        await CreateExternalIdFieldAsync(context, sobject, field, cancellationToken).ConfigureAwait(false);
        var permissionSet = await ProfilePermissionSetAsync(context, cancellationToken).ConfigureAwait(false);
        await GrantFieldAccessAsync(context, sobject, field, permissionSet, cancellationToken).ConfigureAwait(false);
        Log.ExternalIdFieldCreated(_logger, field, sobject, context.ConnectionId, permissionSet);
    }

    private async Task CreateExternalIdFieldAsync(CrmProviderContext context, string sobject, string field, CancellationToken cancellationToken)
    {
        var body = new SalesforceCustomField(
            $"{sobject}.{field}",
            new SalesforceCustomFieldMetadata(
                ExternalIdFieldLabel,
                "Text",
                ExternalIdFieldLength,
                ExternalId: true,
                Unique: true,
                CaseSensitive: false,
                "The record's id in the app that syncs it (CrmSync). CrmSync created this field and matches records by it on every sync; do not edit or delete it."));
        var created = await SendAsync(context, (token, instance, ct) => Api.CreateCustomFieldAsync(Options.ApiVersion, body, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        if (created.IsSuccessStatusCode)
        {
            return;
        }

        var code = ErrorCodeOf(created);
        if (code == "DUPLICATE_DEVELOPER_NAME")
        {
            // The field exists but the connected user cannot see it (created earlier, field-level security not granted yet).
            return;
        }

        if (IsRefusal(created, code))
        {
            Log.ExternalIdFieldRefused(_logger, field, sobject, context.ConnectionId, "create field", StatusOf(created), code);
            throw new CrmRequestFailedException(
                $"Salesforce did not let CrmSync create its external-id field on {sobject} (the connected user lacks the 'Customize Application' permission). "
                + $"An admin can create it once: Setup › Object Manager › {sobject} › Fields & Relationships › New › Text ({ExternalIdFieldLength}), label '{ExternalIdFieldLabel}', API name {field}, tick 'Unique' and 'External ID', and make it visible and editable for the connected user; then click Retry.",
                Name, StatusOf(created), CrmProblemType.PermissionDenied, code);
        }

        EnsureSuccess(created, context.ConnectionId);
    }

    /// <summary>
    /// The permission set owned by the connected user's profile: granting the field there makes it visible to this user (and
    /// to the other users of that profile), as ticking "Visible" for the profile in Setup would. The user comes from the
    /// <c>identity</c> URL of the REST resource list (<c>…/id/{orgId}/{userId}</c>).
    /// </summary>
    private async Task<string> ProfilePermissionSetAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        var version = Options.ApiVersion;
        var resources = await SendAsync(context, (token, instance, ct) => Api.ResourcesAsync(version, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(resources, context.ConnectionId);
        var identity = resources.Content?.Identity;
        var userId = identity?.TrimEnd('/').Split('/').LastOrDefault();
        if (string.IsNullOrEmpty(userId) || !userId.StartsWith("005", StringComparison.Ordinal))
        {
            throw new CrmRequestFailedException("Salesforce did not say which user CrmSync is connected as, so CrmSync cannot make its external-id field visible to it. Reconnect Salesforce, then click Retry.", Name, StatusOf(resources), CrmProblemType.Unknown);
        }

        var users = await QueryAllAsync(context, $"SELECT Id, ProfileId FROM User WHERE Id = {SalesforceFieldTranslator.Quote(userId)}", cancellationToken).ConfigureAwait(false);
        var profileId = users.Select(u => Text(u, "ProfileId")).FirstOrDefault(p => !string.IsNullOrEmpty(p));
        var sets = profileId is null
            ? []
            : await QueryAllAsync(context, $"SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND ProfileId = {SalesforceFieldTranslator.Quote(profileId)}", cancellationToken).ConfigureAwait(false);
        return sets.Select(s => Text(s, "Id")).FirstOrDefault(id => !string.IsNullOrEmpty(id))
            ?? throw new CrmRequestFailedException("Salesforce did not show CrmSync the connected user's profile, so CrmSync cannot make its external-id field visible to it. An admin can make the field visible and editable for the connected user (Setup › Object Manager › Fields & Relationships › CrmSync External Id › Set Field-Level Security); then click Retry.", Name, 200, CrmProblemType.PermissionDenied);
    }

    private async Task GrantFieldAccessAsync(CrmProviderContext context, string sobject, string field, string permissionSetId, CancellationToken cancellationToken)
    {
        var body = new SalesforceFieldPermissions(permissionSetId, sobject, $"{sobject}.{field}", PermissionsRead: true, PermissionsEdit: true);
        var granted = await SendAsync(context, (token, instance, ct) => Api.CreateFieldPermissionsAsync(Options.ApiVersion, body, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        if (granted.IsSuccessStatusCode)
        {
            return;
        }

        var code = ErrorCodeOf(granted);
        if (code == "DUPLICATE_VALUE")
        {
            // Already granted to this permission set.
            return;
        }

        if (IsRefusal(granted, code))
        {
            Log.ExternalIdFieldRefused(_logger, field, sobject, context.ConnectionId, "grant field-level security", StatusOf(granted), code);
            throw new CrmRequestFailedException(
                $"Salesforce created CrmSync's external-id field on {sobject} but did not let CrmSync make it visible to the connected user (the user lacks the 'Manage Profiles and Permission Sets' permission). "
                + $"An admin can do it once: Setup › Object Manager › {sobject} › Fields & Relationships › {ExternalIdFieldLabel} ({field}) › Set Field-Level Security, tick 'Visible' (not 'Read-Only') for the connected user's profile; then click Retry.",
                Name, StatusOf(granted), CrmProblemType.PermissionDenied, code);
        }

        EnsureSuccess(granted, context.ConnectionId);
    }

    private static string? ErrorCodeOf(IApiResponse response)
    {
        var error = ParseError(response.Error is ApiException api ? api.Content : null);
        return error?.ErrorCode ?? error?.Error;
    }

    /// <summary>Whether Salesforce refused a setup change for lack of permission (403, or an insufficient-access error code), not for a limit or an outage.</summary>
    private static bool IsRefusal(IApiResponse response, string? code) =>
        code is "INSUFFICIENT_ACCESS" or "INSUFFICIENT_ACCESS_OR_READONLY" or "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY" or "INSUFFICIENT_PRIVILEGES"
        || (response.StatusCode == HttpStatusCode.Forbidden && code != "REQUEST_LIMIT_EXCEEDED");
}
