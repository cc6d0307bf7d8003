using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmSync.Providers.Pipedrive.Internal;

/// <summary>The <c>{success, data, additional_data}</c> envelope of every Pipedrive answer.</summary>
internal sealed class PipedriveResponse<T>
{
    public bool Success { get; set; }

    public T? Data { get; set; }

    public JsonElement? AdditionalData { get; set; }

    public string? Error { get; set; }
}

internal sealed class PipedrivePerson
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public long? OwnerId { get; set; }

    public bool IsDeleted { get; set; }

    public Dictionary<string, JsonElement>? CustomFields { get; set; }
}

internal sealed class PipedrivePersonBody
{
    public string? Name { get; set; }

    public long? OwnerId { get; set; }

    public List<PipedriveContactValue>? Emails { get; set; }

    public List<PipedriveContactValue>? Phones { get; set; }

    public Dictionary<string, string?>? CustomFields { get; set; }
}

internal sealed record PipedriveContactValue(string Value, bool Primary, string Label);

internal sealed class PipedriveSearchData
{
    public List<PipedriveSearchItem> Items { get; set; } = [];
}

internal sealed class PipedriveSearchItem
{
    public double ResultScore { get; set; }

    public PipedriveSearchPerson? Item { get; set; }
}

internal sealed class PipedriveSearchPerson
{
    public long Id { get; set; }

    public string? Type { get; set; }
}

internal sealed class PipedrivePersonField
{
    public string? FieldName { get; set; }

    public string? FieldCode { get; set; }

    public string? FieldType { get; set; }

    public bool IsCustomField { get; set; }

    /// <summary>Gets or sets the choices of an <c>enum</c> or <c>set</c> field (a person holds the chosen option's <c>id</c>).</summary>
    public List<PipedriveFieldOption>? Options { get; set; }
}

internal sealed class PipedriveFieldOption
{
    public long Id { get; set; }

    public string? Label { get; set; }
}

internal sealed record PipedriveNewPersonField(string FieldName, string FieldType);

internal sealed class PipedriveActivity
{
    public long Id { get; set; }

    public string? Note { get; set; }

    public long? PersonId { get; set; }
}

internal sealed class PipedriveActivityBody
{
    public string? Subject { get; set; }

    public string? Type { get; set; }

    public long? OwnerId { get; set; }

    public string? DueDate { get; set; }

    public string? DueTime { get; set; }

    public string? Duration { get; set; }

    public bool? Done { get; set; }

    public string? Note { get; set; }

    public List<PipedriveParticipant>? Participants { get; set; }
}

internal sealed record PipedriveParticipant(long PersonId, bool Primary);

internal sealed class PipedriveNote
{
    public long Id { get; set; }

    public string? Content { get; set; }

    public long? PersonId { get; set; }
}

internal sealed class PipedriveNoteBody
{
    public string? Content { get; set; }

    public long? PersonId { get; set; }

    public long? UserId { get; set; }
}

internal sealed class PipedriveUser
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public bool ActiveFlag { get; set; }

    public string? CompanyName { get; set; }

    public string? CompanyDomain { get; set; }
}

internal sealed class PipedriveTokenResponse
{
    public string? AccessToken { get; set; }

    public string? TokenType { get; set; }

    public string? RefreshToken { get; set; }

    public string? Scope { get; set; }

    public long? ExpiresIn { get; set; }

    public string? ApiDomain { get; set; }

    public string? Error { get; set; }

    public string? ErrorDescription { get; set; }
}

/// <summary>The JSON settings of the Pipedrive wire format: snake_case, nulls left out (a PATCH with <c>null</c> clears a field).</summary>
internal sealed class PipedriveDeal
{
    public long Id { get; set; }

    public string? Title { get; set; }

    public long? OwnerId { get; set; }

    public long? PersonId { get; set; }

    public long? OrgId { get; set; }

    public long? PipelineId { get; set; }

    public long? StageId { get; set; }

    public decimal? Value { get; set; }

    public string? Currency { get; set; }

    public string? Status { get; set; }

    public string? LostReason { get; set; }

    public string? Origin { get; set; }

    public DateTimeOffset? AddTime { get; set; }

    public DateTimeOffset? UpdateTime { get; set; }

    public DateTimeOffset? CloseTime { get; set; }

    public bool IsDeleted { get; set; }
}

internal sealed class PipedriveListedPerson
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public long? OwnerId { get; set; }

    public long? OrgId { get; set; }

    public DateTimeOffset? AddTime { get; set; }

    public DateTimeOffset? UpdateTime { get; set; }

    public List<PipedriveListedValue>? Emails { get; set; }

    public List<PipedriveListedValue>? Phones { get; set; }

    public bool IsDeleted { get; set; }
}

internal sealed class PipedriveListedValue
{
    public string? Value { get; set; }

    public bool Primary { get; set; }

    public string? Label { get; set; }
}

internal sealed class PipedriveOrganization
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public long? OwnerId { get; set; }

    public PipedriveAddress? Address { get; set; }
}

internal sealed class PipedriveAddress
{
    public string? Value { get; set; }
}

internal sealed class PipedriveStage
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public long? PipelineId { get; set; }

    public bool IsDeleted { get; set; }
}

internal static class PipedriveJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
