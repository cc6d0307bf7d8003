using System.Text.Json;

namespace CrmSync.Providers.OpenApi.Internal;

/// <summary>
/// A read-only view of an OpenAPI 3 document in JSON: operations by <c>operationId</c> and their schemas, with local
/// <c>$ref</c>s resolved. Only what profiles need is read; anything else in the document is ignored.
/// </summary>
internal sealed class OpenApiDocument
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private readonly JsonElement _root;
    private readonly Dictionary<string, OpenApiOperation> _operations = new(StringComparer.Ordinal);

    private OpenApiDocument(JsonDocument document)
    {
        _root = document.RootElement.Clone();
        if (_root.ValueKind != JsonValueKind.Object || !_root.TryGetProperty("openapi", out var version) || version.ValueKind != JsonValueKind.String || !version.GetString()!.StartsWith('3'))
        {
            throw new OpenApiProfileException("document", "The document is not an OpenAPI 3 document in JSON (no \"openapi\": \"3.x\" at its root).");
        }

        if (_root.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Object)
        {
            foreach (var path in paths.EnumerateObject())
            {
                var shared = path.Value.TryGetProperty("parameters", out var p) ? Parameters(p) : [];
                foreach (var method in Methods)
                {
                    if (!path.Value.TryGetProperty(method, out var operation) || !operation.TryGetProperty("operationId", out var id) || id.GetString() is not { Length: > 0 } operationId)
                    {
                        continue;
                    }

                    var own = operation.TryGetProperty("parameters", out var op) ? Parameters(op) : [];
                    var merged = shared.Where(s => !own.Any(o => o.Name == s.Name && o.In == s.In)).Concat(own).ToList();
                    _operations[operationId] = new OpenApiOperation(operationId, method.ToUpperInvariant(), path.Name, merged, RequestSchema(operation), Responses(operation));
                }
            }
        }
    }

    /// <summary>Gets the operations by id.</summary>
    public IReadOnlyDictionary<string, OpenApiOperation> Operations => _operations;

    public static OpenApiDocument Parse(Stream json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return new OpenApiDocument(document);
        }
        catch (JsonException ex)
        {
            throw new OpenApiProfileException("document", "The OpenAPI document is not valid JSON: " + ex.Message, ex);
        }
    }

    public OpenApiOperation? Find(string operationId) => _operations.GetValueOrDefault(operationId);

    private List<OpenApiParameter> Parameters(JsonElement list)
    {
        var result = new List<OpenApiParameter>();
        if (list.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var item in list.EnumerateArray())
        {
            var p = Resolve(item);
            var name = p.TryGetProperty("name", out var n) ? n.GetString() : null;
            var location = p.TryGetProperty("in", out var i) ? i.GetString() : null;
            if (name is null || location is null)
            {
                continue;
            }

            var required = p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
            var schema = p.TryGetProperty("schema", out var s) ? new OpenApiSchema(this, s) : null;
            result.Add(new OpenApiParameter(name, location, required, schema));
        }

        return result;
    }

    private OpenApiSchema? RequestSchema(JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body))
        {
            return null;
        }

        return JsonContentSchema(Resolve(body));
    }

    private Dictionary<int, OpenApiSchema?> Responses(JsonElement operation)
    {
        var result = new Dictionary<int, OpenApiSchema?>();
        if (!operation.TryGetProperty("responses", out var responses) || responses.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var response in responses.EnumerateObject())
        {
            if (int.TryParse(response.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status))
            {
                result[status] = JsonContentSchema(Resolve(response.Value));
            }
        }

        return result;
    }

    private OpenApiSchema? JsonContentSchema(JsonElement holder)
    {
        if (!holder.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var media in content.EnumerateObject())
        {
            if (media.Name.Contains("json", StringComparison.OrdinalIgnoreCase) && media.Value.TryGetProperty("schema", out var schema))
            {
                return new OpenApiSchema(this, schema);
            }
        }

        return null;
    }

    /// <summary>Follows local <c>$ref</c>s (<c>#/components/…</c>).</summary>
    internal JsonElement Resolve(JsonElement element)
    {
        for (var depth = 0; depth < 32; depth++)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("$ref", out var reference) || reference.GetString() is not { } pointer)
            {
                return element;
            }

            if (!pointer.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new OpenApiProfileException("document", $"The reference '{pointer}' points outside the document; only local references (#/components/…) are supported.");
            }

            var target = _root;
            foreach (var segment in pointer[2..].Split('/'))
            {
                var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
                {
                    throw new OpenApiProfileException("document", $"The reference '{pointer}' points to nothing.");
                }
            }

            element = target;
        }

        throw new OpenApiProfileException("document", "A reference chain is too deep (a cycle?).");
    }
}

/// <summary>One operation of the document.</summary>
internal sealed record OpenApiOperation(string Id, string Method, string Path, IReadOnlyList<OpenApiParameter> Parameters, OpenApiSchema? RequestBody, IReadOnlyDictionary<int, OpenApiSchema?> Responses)
{
    public OpenApiParameter? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Name, name, p.In == "header" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    /// <summary>Gets the schema of the first 2xx answer that has a JSON body.</summary>
    public OpenApiSchema? SuccessSchema => Responses.Where(r => r.Key is >= 200 and < 300).OrderBy(r => r.Key).Select(r => r.Value).FirstOrDefault(s => s is not null);
}

/// <summary>One parameter of an operation.</summary>
internal sealed record OpenApiParameter(string Name, string In, bool Required, OpenApiSchema? Schema);

/// <summary>A schema, with references resolved on access.</summary>
internal sealed class OpenApiSchema
{
    private readonly OpenApiDocument _document;
    private readonly JsonElement _element;

    public OpenApiSchema(OpenApiDocument document, JsonElement element)
    {
        _document = document;
        _element = document.Resolve(element);
    }

    /// <summary>Gets the declared type (<c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>array</c>, <c>object</c>), or <see langword="null"/> for any.</summary>
    public string? Type
    {
        get
        {
            if (_element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                return type.GetString();
            }

            return _element.TryGetProperty("properties", out _) || _element.TryGetProperty("allOf", out _) ? "object" : null;
        }
    }

    public string? Format => _element.TryGetProperty("format", out var f) ? f.GetString() : null;

    public IReadOnlyList<string> Enum => _element.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
        : [];

    public int? MaxLength => _element.TryGetProperty("maxLength", out var m) && m.TryGetInt32(out var value) ? value : null;

    public OpenApiSchema? Items => _element.TryGetProperty("items", out var items) ? new OpenApiSchema(_document, items) : null;

    /// <summary>Gets the names of required properties (own and from <c>allOf</c>).</summary>
    public IReadOnlyList<string> Required
    {
        get
        {
            var result = new List<string>();
            foreach (var part in Parts())
            {
                if (part.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array)
                {
                    result.AddRange(r.EnumerateArray().Select(v => v.GetString()).OfType<string>());
                }
            }

            return result;
        }
    }

    /// <summary>Gets whether the object takes properties it does not declare (<c>additionalProperties</c> true or a schema).</summary>
    public bool OpenEnded => _element.TryGetProperty("additionalProperties", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.Object;

    /// <summary>Finds a declared property (own or from <c>allOf</c>).</summary>
    public OpenApiSchema? Property(string name)
    {
        foreach (var part in Parts())
        {
            if (part.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property))
            {
                return new OpenApiSchema(_document, property);
            }
        }

        if (_element.TryGetProperty("additionalProperties", out var additional))
        {
            return additional.ValueKind == JsonValueKind.Object ? new OpenApiSchema(_document, additional) : additional.ValueKind == JsonValueKind.True ? Any(_document) : null;
        }

        return null;
    }

    /// <summary>Walks a dotted path (<c>metadata.crmSyncId</c>); <see langword="null"/> when a segment is not declared.</summary>
    public OpenApiSchema? At(string path)
    {
        var current = this;
        foreach (var segment in path.Split('.'))
        {
            if (current.Type == "array" && current.Items is { } items)
            {
                // A list in the middle of a path stands for its first (primary) item.
                current = items;
            }

            current = current.Property(segment);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static OpenApiSchema Any(OpenApiDocument document)
    {
        using var empty = JsonDocument.Parse("{}");
        return new OpenApiSchema(document, empty.RootElement.Clone());
    }

    private IEnumerable<JsonElement> Parts()
    {
        yield return _element;
        if (_element.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in all.EnumerateArray())
            {
                yield return _document.Resolve(part);
            }
        }
    }
}
