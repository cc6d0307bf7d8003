using System.Collections.Concurrent;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk;

public partial class CrmSyncClient
{
    /// <summary>How long a CRM's field list is reused before it is asked again.</summary>
    private static readonly TimeSpan FieldCacheLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(Guid ConnectionId, CrmObjectType ObjectType), (DateTimeOffset FetchedAt, IReadOnlyList<CrmFieldInfo> Fields)> _fieldCache = new();

    /// <summary>
    /// Lists the fields of an object type in the connection's CRM account (for the field-mapping editor's picker), cached
    /// per connection for five minutes.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The object type; field mappings apply to contacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The fields; empty when the provider cannot list them or the connection is not signed in.</returns>
    /// <exception cref="CrmProviderUnavailableException">The CRM is failing or unreachable.</exception>
    /// <exception cref="CrmAuthRevokedException">The credentials were revoked.</exception>
    public virtual async Task<IReadOnlyList<CrmFieldInfo>> GetCrmFieldsAsync(string tenantId, Guid connectionId, CrmObjectType objectType = CrmObjectType.Contact, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return await FieldsOfAsync(stored, _providers.Get(stored.Provider), objectType, refresh: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<CrmFieldInfo>> FieldsOfAsync(StoredConnection stored, ICrmProvider provider, CrmObjectType objectType, bool refresh, CancellationToken cancellationToken)
    {
        if (provider is not ICrmFieldCatalog catalog || stored.ProtectedCredentials is null || stored.State.ConnectedAt is null)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        if (!refresh && _fieldCache.TryGetValue((stored.Id, objectType), out var cached) && now - cached.FetchedAt < FieldCacheLifetime)
        {
            return cached.Fields;
        }

        var context = _services.GetRequiredService<CrmContextFactory>().Create(stored, provider);
        var fields = await catalog.GetFieldsAsync(context, objectType, cancellationToken).ConfigureAwait(false);
        _fieldCache[(stored.Id, objectType)] = (now, fields);
        return fields;
    }

    /// <summary>Checks a mapping against the CRM's contact fields when the CRM can list them; returns it with API names.</summary>
    private async Task<FieldMapping> CheckMappingAgainstCrmAsync(string tenantId, Guid connectionId, FieldMapping mapping, CancellationToken cancellationToken)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var provider = _providers.Get(stored.Provider);
        if (provider is not ICrmFieldCatalog || mapping.Entries.Count == 0)
        {
            return mapping;
        }

        IReadOnlyList<CrmFieldInfo> fields;
        IReadOnlyList<CrmValidationError> errors;
        FieldMapping resolved;
        try
        {
            fields = await FieldsOfAsync(stored, provider, CrmObjectType.Contact, refresh: false, cancellationToken).ConfigureAwait(false);
            errors = FieldMappingValidator.ValidateAgainstCrm(mapping, fields, provider.DisplayName, out resolved);
            if (fields.Count > 0 && errors.Count > 0)
            {
                // A field added in the CRM a moment ago is not in a five-minute-old list: ask once more before refusing.
                fields = await FieldsOfAsync(stored, provider, CrmObjectType.Contact, refresh: true, cancellationToken).ConfigureAwait(false);
                errors = FieldMappingValidator.ValidateAgainstCrm(mapping, fields, provider.DisplayName, out resolved);
            }
        }
        catch (Exception ex) when (ex is CrmProviderUnavailableException or CrmRateLimitedException or CrmRequestFailedException or CrmAuthRevokedException or HttpRequestException)
        {
            Log.FieldCatalogUnavailable(_logger, connectionId, provider.Name, ex.GetType().Name);
            return mapping;
        }

        if (fields.Count == 0)
        {
            return mapping;
        }

        if (errors.Count > 0)
        {
            // Report the CRM's verdict together with CrmSync's own checks, so the editor shows every problem at once.
            var own = FieldMappingValidator.Validate(resolved, _options.CurrentValue.KnownSourceFields?.ToList());
            throw new CrmValidationException("Field mapping", [.. errors, .. own.Where(o => errors.All(c => c.Path != o.Path))]);
        }

        return resolved;
    }
}
