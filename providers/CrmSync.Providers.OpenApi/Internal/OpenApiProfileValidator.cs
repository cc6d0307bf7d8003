using System.Globalization;
using System.Reflection;
using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Internal;

/// <summary>
/// Checks a profile against its OpenAPI document: every operation exists with the right method, every parameter and
/// field it names is declared with a type CrmSync can fill, required request fields and headers are covered, and fixed
/// values fit their schema. Every problem names the profile entry at fault.
/// </summary>
internal sealed class OpenApiProfileValidator
{
    private static readonly HashSet<string> HostFields = typeof(CrmFieldNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly string[] ActivityKinds = ["email", "call", "meeting"];
    private readonly OpenApiProfile _profile;
    private readonly OpenApiDocument _document;
    private readonly List<OpenApiProfileProblem> _problems = [];

    private OpenApiProfileValidator(OpenApiProfile profile, OpenApiDocument document)
    {
        _profile = profile;
        _document = document;
    }

    /// <summary>Returns every problem of a profile; empty when it fits its document.</summary>
    public static IReadOnlyList<OpenApiProfileProblem> Validate(OpenApiProfile profile, OpenApiDocument document)
    {
        var validator = new OpenApiProfileValidator(profile, document);
        validator.Run();
        return validator._problems;
    }

    /// <summary>Throws <see cref="OpenApiProfileException"/> listing every problem, if any.</summary>
    public static void ThrowIfInvalid(OpenApiProfile profile, OpenApiDocument document)
    {
        var problems = Validate(profile, document);
        if (problems.Count > 0)
        {
            throw new OpenApiProfileException(profile.Name, problems);
        }
    }

    private void Problem(string entry, string problem) => _problems.Add(new OpenApiProfileProblem(entry, problem));

    private void Run()
    {
        if (string.IsNullOrWhiteSpace(_profile.Name) || !_profile.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            Problem("name", $"'{_profile.Name}' is not a provider name: use lower-case letters, digits and dashes.");
        }

        if (string.IsNullOrWhiteSpace(_profile.DisplayName))
        {
            Problem("displayName", "A display name is required.");
        }

        ValidateAuth();
        ValidatePaging();
        ValidateObject("contact", _profile.Contact, written: true);
        if (_profile.Lead is { } lead)
        {
            ValidateObject("lead", lead, written: false);
            if (lead.ListModifiedSince is null)
            {
                Problem("lead.listModifiedSince", "The lead object is read only by fetch, so it needs a list of records modified since a time.");
            }
        }

        if (_profile.Activity is { } activity)
        {
            ValidateActivity(activity);
        }

        if (_profile.Users is { } users)
        {
            var list = Operation("users.list", users.List, "GET", requireParameter: false);
            if (list is not null)
            {
                var item = ItemSchema("users.list", list);
                ResponsePath("users.idPath", item, users.IdPath);
                ResponsePath("users.namePath", item, users.NamePath);
                ResponsePath("users.emailPath", item, users.EmailPath);
                ResponsePath("users.activePath", item, users.ActivePath);
            }
        }

        if (_profile.Limits.BurstLimit is <= 0)
        {
            Problem("limits.burstLimit", "The burst limit must be positive.");
        }

        if (_profile.Limits.DailyLimit is <= 0)
        {
            Problem("limits.dailyLimit", "The daily limit must be positive.");
        }

        if (_profile.Limits.MaxConcurrency is < 1 or > 32)
        {
            Problem("limits.maxConcurrency", "The concurrency must be between 1 and 32.");
        }

        if (_profile.Limits.BurstWindow <= TimeSpan.Zero)
        {
            Problem("limits.burstWindow", "The burst window must be positive.");
        }
    }

    private void ValidateAuth()
    {
        var auth = _profile.Auth;
        switch (auth.Kind)
        {
            case OpenApiAuthKind.ApiKey when string.IsNullOrWhiteSpace(auth.ApiKeyHeader):
                Problem("auth.apiKeyHeader", "API key sign-in needs the header that carries the key.");
                break;
            case OpenApiAuthKind.ClientCredentials when auth.TokenUrl is null:
                Problem("auth.tokenUrl", "Client-credentials sign-in needs the token endpoint.");
                break;
            case OpenApiAuthKind.AuthorizationCode when auth.TokenUrl is null || auth.AuthorizeUrl is null:
                Problem(auth.TokenUrl is null ? "auth.tokenUrl" : "auth.authorizeUrl", "Authorization-code sign-in needs both the authorize page and the token endpoint.");
                break;
            case OpenApiAuthKind.ApiKey or OpenApiAuthKind.ClientCredentials or OpenApiAuthKind.AuthorizationCode:
                break;
            default:
                Problem("auth.kind", $"Unknown sign-in kind {(int)auth.Kind}.");
                break;
        }
    }

    private void ValidatePaging()
    {
        var paging = _profile.Paging;
        if (paging.MaxPageSize is < 1 or > 1000)
        {
            Problem("paging.maxPageSize", "The page size must be between 1 and 1000.");
        }

        if (paging.Style == OpenApiPagingStyle.PageNumber && string.IsNullOrWhiteSpace(paging.TotalPagesPath))
        {
            Problem("paging.totalPagesPath", "Numbered pages need the response property with the total page count.");
        }

        if (paging.Style == OpenApiPagingStyle.Cursor && string.IsNullOrWhiteSpace(paging.NextCursorPath))
        {
            Problem("paging.nextCursorPath", "Cursor pages need the response property with the next cursor.");
        }
    }

    private void ValidateObject(string entry, OpenApiObjectProfile profile, bool written)
    {
        var search = Operation($"{entry}.searchByExternalId", profile.SearchByExternalId, "GET", requireParameter: true);
        Operation($"{entry}.searchByEmail", profile.SearchByEmail, "GET", requireParameter: true);
        Operation($"{entry}.searchByPhone", profile.SearchByPhone, "GET", requireParameter: true);
        var get = Operation($"{entry}.get", profile.Get, "GET", requireParameter: true, parameterIn: "path");
        var create = Operation($"{entry}.create", profile.Create, "POST", requireParameter: false);
        var update = Operation($"{entry}.update", profile.Update, "PATCH|PUT", requireParameter: true, parameterIn: "path");
        var list = Operation($"{entry}.listModifiedSince", profile.ListModifiedSince, "GET", requireParameter: true);

        if (written)
        {
            if (profile.SearchByExternalId is null && profile is not OpenApiActivityProfile { ExternalIdAsMarker: true })
            {
                Problem($"{entry}.searchByExternalId", "Records CrmSync writes need a search by external id, so that a retry never creates a second record.");
            }

            if (profile.Create is null)
            {
                Problem($"{entry}.create", "Records CrmSync writes need a create operation.");
            }

            if (string.IsNullOrWhiteSpace(profile.ExternalIdField))
            {
                Problem($"{entry}.externalIdField", "Records CrmSync writes need a field that holds the host's record id.");
            }
        }

        if (profile.Update is { IfMatch: true })
        {
            if (update is not null && update.Parameter("If-Match") is not { In: "header" })
            {
                Problem($"{entry}.update.ifMatch", $"The operation '{update.Id}' declares no If-Match header.");
            }

            if (get is null)
            {
                Problem($"{entry}.get", "If-Match updates need a get operation to read the current ETag.");
            }
        }

        if (profile.CreatedId == OpenApiCreatedIdSource.Location && create is not null && !create.Responses.Keys.Any(k => k is >= 200 and < 300))
        {
            Problem($"{entry}.createdId", $"The operation '{create.Id}' declares no success answer.");
        }

        // Response paths, checked against the items of the search (or list) answer.
        var reader = search ?? list;
        if (reader is not null)
        {
            var item = ItemSchema($"{entry}.{(search is not null ? "searchByExternalId" : "listModifiedSince")}", reader);
            ResponsePath($"{entry}.idPath", item, profile.IdPath);
            ResponsePath($"{entry}.modifiedPath", item, profile.ModifiedPath);
            ResponsePath($"{entry}.createdPath", item, profile.CreatedPath);
            ResponsePath($"{entry}.ownerPath", item, profile.OwnerPath);
            foreach (var (path, field) in profile.ReadFields)
            {
                ResponsePath($"{entry}.readFields.{path}", item, path);
                if (!HostFields.Contains(field))
                {
                    Problem($"{entry}.readFields.{path}", $"'{field}' is not a CrmSync field name ({string.Join(", ", HostFields.Order(StringComparer.Ordinal))}).");
                }
            }

            if (!written)
            {
                foreach (var (field, path) in profile.Fields)
                {
                    ResponsePath($"{entry}.fields.{field}", item, path);
                }
            }
        }

        if (list is not null)
        {
            var parameter = list.Parameter(profile.ListModifiedSince!.Parameter!);
            if (parameter?.Schema is { } schema && schema.Type is not (null or "string"))
            {
                Problem($"{entry}.listModifiedSince.parameter", $"The parameter '{parameter.Name}' of '{list.Id}' is of type {schema.Type}; a modified-since time must be a string (date-time).");
            }

            if (profile.ModifiedPath is null)
            {
                Problem($"{entry}.modifiedPath", "Fetching modified records needs the response property with the last-modified time.");
            }
        }

        if (!written || create is null)
        {
            return;
        }

        if (create.RequestBody is not { } body)
        {
            Problem($"{entry}.create.operation", $"The operation '{create.Id}' takes no JSON request body.");
            return;
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, path) in profile.Fields)
        {
            if (!HostFields.Contains(field))
            {
                Problem($"{entry}.fields.{field}", $"'{field}' is not a CrmSync field name ({string.Join(", ", HostFields.Order(StringComparer.Ordinal))}).");
            }

            if (WritableField($"{entry}.fields.{field}", create, path) && update?.RequestBody is { } updateBody && updateBody.At(path) is null)
            {
                Problem($"{entry}.fields.{field}", $"The field '{path}' is not in the request body of '{update.Id}'.");
            }

            covered.Add(Root(path));
        }

        foreach (var (path, value) in profile.FixedValues)
        {
            if (WritableField($"{entry}.fixedValues.{path}", create, path) && body.At(path) is { } schema)
            {
                if (OpenApiValues.Convert(schema, value) is null)
                {
                    Problem($"{entry}.fixedValues.{path}", $"'{value}' is not a valid {Describe(schema)} for '{path}'.");
                }
            }

            covered.Add(Root(path));
        }

        if (profile.ExternalIdField is { } externalId && WritableField($"{entry}.externalIdField", create, externalId))
        {
            var schema = body.At(externalId);
            if (schema?.Type is not (null or "string"))
            {
                Problem($"{entry}.externalIdField", $"The field '{externalId}' is of type {schema?.Type}; the external id is text.");
            }

            covered.Add(Root(externalId));
        }

        if (profile.OwnerField is { } owner && WritableField($"{entry}.ownerField", create, owner))
        {
            var schema = body.At(owner);
            if (schema?.Type is not (null or "string") && !(schema?.Type == "array" && schema.Items?.Type is null or "string"))
            {
                Problem($"{entry}.ownerField", $"The field '{owner}' is of type {schema?.Type}; an owner is an id (text) or a list of ids.");
            }
        }

        if (profile is OpenApiActivityProfile activity)
        {
            covered.Add(Root(activity.ContactField));
            covered.Add(Root(activity.TypeField));
        }

        foreach (var required in body.Required)
        {
            if (!covered.Contains(required))
            {
                Problem($"{entry}.fields", $"The operation '{create.Id}' requires the field '{required}', which no profile field, fixed value or external-id field fills.");
            }
        }
    }

    private void ValidateActivity(OpenApiActivityProfile activity)
    {
        ValidateObject("activity", activity, written: true);
        if (activity.Create is { } createRef && _document.Find(createRef.Operation) is { RequestBody: { } body })
        {
            if (WritableField("activity.contactField", _document.Find(createRef.Operation)!, activity.ContactField) && body.At(activity.ContactField)?.Type is not (null or "string" or "integer"))
            {
                Problem("activity.contactField", $"The field '{activity.ContactField}' cannot hold a contact id.");
            }

            if (WritableField("activity.typeField", _document.Find(createRef.Operation)!, activity.TypeField) && body.At(activity.TypeField) is { } typeSchema)
            {
                foreach (var (kind, value) in activity.TypeValues)
                {
                    if (!ActivityKinds.Contains(kind, StringComparer.Ordinal))
                    {
                        Problem($"activity.typeValues.{kind}", $"'{kind}' is not an activity kind (email, call, meeting).");
                    }
                    else if (OpenApiValues.Convert(typeSchema, value) is null)
                    {
                        Problem($"activity.typeValues.{kind}", $"'{value}' is not a valid {Describe(typeSchema)} for '{activity.TypeField}'.");
                    }
                }
            }
        }

        var byContact = Operation("activity.listByContact", activity.ListByContact, "GET", requireParameter: true);
        if (activity.ExternalIdAsMarker)
        {
            if (byContact is null)
            {
                Problem("activity.listByContact", "An external id kept as a marker in a text field needs the list of a contact's activities to find it again.");
            }
            else
            {
                var item = ItemSchema("activity.listByContact", byContact);
                ResponsePath("activity.externalIdField", item, activity.ExternalIdField);
            }
        }

        if (activity.TypeValues.Count == 0)
        {
            Problem("activity.typeValues", "Name the activity kind value for at least one of email, call and meeting.");
        }
    }

    private OpenApiOperation? Operation(string entry, OpenApiOperationRef? reference, string methods, bool requireParameter, string? parameterIn = null)
    {
        if (reference is null)
        {
            return null;
        }

        if (_document.Find(reference.Operation) is not { } operation)
        {
            var known = string.Join(", ", _document.Operations.Keys.Order(StringComparer.Ordinal));
            Problem($"{entry}.operation", $"The document has no operation '{reference.Operation}' (it has: {known}).");
            return null;
        }

        if (!methods.Split('|').Contains(operation.Method, StringComparer.Ordinal))
        {
            Problem($"{entry}.operation", $"'{operation.Id}' is {operation.Method} {operation.Path}; this entry needs {methods.Replace("|", " or ", StringComparison.Ordinal)}.");
        }

        var filled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (reference.Parameter is { } name)
        {
            var parameter = operation.Parameter(name);
            if (parameter is null)
            {
                Problem($"{entry}.parameter", $"The operation '{operation.Id}' has no parameter '{name}'.");
            }
            else if (parameterIn is not null && parameter.In != parameterIn)
            {
                Problem($"{entry}.parameter", $"The parameter '{name}' of '{operation.Id}' is in {parameter.In}; this entry needs a {parameterIn} parameter.");
            }
            else if (parameter.Schema is { } schema && schema.Type is not (null or "string" or "integer" or "array"))
            {
                Problem($"{entry}.parameter", $"The parameter '{name}' of '{operation.Id}' is of type {schema.Type}; CrmSync fills it with text.");
            }

            filled.Add(name);
        }
        else if (requireParameter)
        {
            Problem($"{entry}.parameter", $"Name the parameter of '{operation.Id}' that CrmSync fills.");
        }

        foreach (var (key, value) in reference.FixedParameters)
        {
            if (operation.Parameter(key) is not { } parameter)
            {
                Problem($"{entry}.fixedParameters.{key}", $"The operation '{operation.Id}' has no parameter '{key}'.");
            }
            else if (parameter.Schema is { } schema && OpenApiValues.Convert(schema, value) is null)
            {
                Problem($"{entry}.fixedParameters.{key}", $"'{value}' is not a valid {Describe(schema)} for '{key}'.");
            }

            filled.Add(key);
        }

        if (operation.Method == "GET" && operation.SuccessSchema?.At(_profile.Paging.ItemsPath) is { Type: "array" })
        {
            filled.Add(_profile.Paging.PageParameter);
            filled.Add(_profile.Paging.SizeParameter);
            foreach (var pagingParameter in new[] { _profile.Paging.PageParameter, _profile.Paging.SizeParameter })
            {
                if (operation.Parameter(pagingParameter) is null)
                {
                    Problem($"{entry}.operation", $"The list operation '{operation.Id}' has no paging parameter '{pagingParameter}' (paging).");
                }
            }
        }

        if (reference.IfMatch)
        {
            filled.Add("If-Match");
        }

        foreach (var parameter in operation.Parameters.Where(p => p.Required && !filled.Contains(p.Name)))
        {
            if (parameter.In == "header")
            {
                if (!_profile.Headers.TryGetValue(parameter.Name, out var value) && !_profile.Headers.Keys.Any(k => string.Equals(k, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    Problem("headers", $"The operation '{operation.Id}' requires the header '{parameter.Name}', which the profile does not send.");
                }
                else if (value is not null && !value.StartsWith("{credentials:", StringComparison.Ordinal) && parameter.Schema is { } schema && OpenApiValues.Convert(schema, value) is null)
                {
                    Problem($"headers.{parameter.Name}", $"'{value}' is not a valid {Describe(schema)} for the header '{parameter.Name}' of '{operation.Id}'.");
                }
            }
            else if (parameter.In != "path" || !string.Equals(parameter.Name, reference.Parameter, StringComparison.Ordinal))
            {
                Problem($"{entry}.operation", $"The operation '{operation.Id}' requires the {parameter.In} parameter '{parameter.Name}', which this entry does not fill.");
            }
        }

        return operation;
    }

    private OpenApiSchema? ItemSchema(string entry, OpenApiOperation operation)
    {
        var success = operation.SuccessSchema;
        if (success is null)
        {
            Problem($"{entry}.operation", $"The operation '{operation.Id}' declares no JSON success answer.");
            return null;
        }

        var items = success.At(_profile.Paging.ItemsPath);
        if (items?.Type != "array")
        {
            Problem($"{entry}.operation", $"The answer of '{operation.Id}' has no array '{_profile.Paging.ItemsPath}' (paging.itemsPath).");
            return null;
        }

        var pagingPath = _profile.Paging.Style == OpenApiPagingStyle.PageNumber ? _profile.Paging.TotalPagesPath : _profile.Paging.NextCursorPath;
        if (pagingPath is not null && success.At(pagingPath) is null)
        {
            Problem($"{entry}.operation", $"The answer of '{operation.Id}' has no '{pagingPath}' (paging).");
        }

        return items.Items;
    }

    private void ResponsePath(string entry, OpenApiSchema? item, string? path)
    {
        if (item is null || path is null)
        {
            return;
        }

        if (item.At(path) is null)
        {
            Problem(entry, $"The records the CRM returns have no field '{path}'.");
        }
    }

    private bool WritableField(string entry, OpenApiOperation operation, string path)
    {
        if (operation.RequestBody?.At(path) is not { } schema)
        {
            Problem(entry, $"The field '{path}' is not in the request body of '{operation.Id}'.");
            return false;
        }

        if (schema.Type == "object")
        {
            Problem(entry, $"The field '{path}' of '{operation.Id}' is an object; map a field inside it.");
            return false;
        }

        if (schema.Type == "array" && schema.Items?.Type is not (null or "string" or "integer"))
        {
            Problem(entry, $"The field '{path}' of '{operation.Id}' is a list of {schema.Items?.Type}; CrmSync fills lists of text or numbers only.");
            return false;
        }

        return true;
    }

    private static string Root(string path) => path.Split('.')[0];

    private static string Describe(OpenApiSchema schema) =>
        schema.Enum.Count > 0 ? $"value (one of {string.Join(", ", schema.Enum)})" : (schema.Type ?? "value") + (schema.Format is { } f ? string.Create(CultureInfo.InvariantCulture, $" ({f})") : string.Empty);
}
