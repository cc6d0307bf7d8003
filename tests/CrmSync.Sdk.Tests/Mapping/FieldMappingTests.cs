using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Mapping;

public class FieldMappingTests
{
    private static readonly Dictionary<string, string?> Lead = new()
    {
        ["name"] = "Grace Hopper",
        ["email"] = "grace@example.test",
        ["successEvaluation"] = "qualified",
    };

    [Fact]
    public void Apply_TemplateFixedAndField_ProducesCrmFields()
    {
        // Arrange
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Template("description", "{{name}} <{{email}}> was {{successEvaluation}}"))
            .With(FieldMappingEntry.Fixed("lead_source", "SalesHive"))
            .With(FieldMappingEntry.Field("work_email", "email"));

        // Act
        var result = mapping.Apply(Lead);

        // Assert
        Assert.Equal("Grace Hopper <grace@example.test> was qualified", result["description"]);
        Assert.Equal("SalesHive", result["lead_source"]);
        Assert.Equal("grace@example.test", result["work_email"]);
    }

    [Fact]
    public void Apply_MissingSourceValues_RenderEmptyNotPlaceholder()
    {
        // Arrange
        var mapping = FieldMapping.Empty.With(FieldMappingEntry.Template("note", "Phone: {{phone}}")).With(FieldMappingEntry.Field("mobile", "phone"));

        // Act
        var result = mapping.Apply(Lead);

        // Assert
        Assert.Equal("Phone: ", result["note"]);
        Assert.Null(result["mobile"]);
    }

    [Fact]
    public void Validate_GoodMapping_HasNoErrors()
    {
        // Arrange
        var mapping = FieldMapping.Empty.With(FieldMappingEntry.Template("description", "{{ name }}")).With(FieldMappingEntry.Fixed("lead_source", "X"));

        // Act + Assert
        Assert.Empty(FieldMappingValidator.Validate(mapping, ["name"]));
    }

    public static TheoryData<FieldMappingEntry, string> BadEntries => new()
    {
        { FieldMappingEntry.Template("description", "{{name"), "'description' has a malformed template: '{{' at position 0 is never closed with '}}'." },
        { FieldMappingEntry.Template("description", "name}}"), "'description' has a malformed template: '}}' at position 4 has no matching '{{'." },
        { FieldMappingEntry.Template("description", "{{}}"), "'description' has a malformed template: empty placeholder '{{}}' at position 0." },
        { FieldMappingEntry.Template("description", "hello"), "'description' has a template without any {{field}} placeholder; use a fixed value instead." },
        { FieldMappingEntry.Template("description", "{{nmae}}"), "'description' uses unknown placeholder '{{nmae}}'." },
        { FieldMappingEntry.Fixed("campaign", ""), "'campaign' has an empty fixed value." },
        { FieldMappingEntry.Field("work_email", "emial"), "'work_email' maps from unknown host field 'emial'." },
        { FieldMappingEntry.Field("", "email"), "Mapping entry 2 has no CRM field." },
        { FieldMappingEntry.Field("bad field", "email"), "CRM field 'bad field' is not a valid field name (letters, digits, '_', '.' or '-')." },
        { FieldMappingEntry.Field("crmsync_external_id", "email"), "CRM field 'crmsync_external_id' is the external-id field CrmSync manages; map another field." },
        { FieldMappingEntry.Fixed("Lead_Source", "Y"), "CRM field 'Lead_Source' is mapped twice (entries 1 and 2)." },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void Validate_BadEntry_NamesTheEntryAndWhy(FieldMappingEntry bad, string expectedMessageEnd)
    {
        // Arrange: a good first entry, so the bad one is entry 2.
        var mapping = FieldMapping.Empty.With(FieldMappingEntry.Fixed("lead_source", "X")).With(bad);

        // Act
        var errors = FieldMappingValidator.Validate(mapping, ["name", "email"]);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("Entries[1]", error.Path);
        Assert.EndsWith(expectedMessageEnd, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidExternalIdField_IsRejected()
    {
        // Act
        var errors = FieldMappingValidator.Validate(FieldMapping.Empty with { ExternalIdField = "has space" });

        // Assert
        Assert.Equal("ExternalIdField", Assert.Single(errors).Path);
    }

    [Fact]
    public void CrmValidationException_SeveralErrors_ListsEach()
    {
        // Arrange
        var errors = new[] { new CrmValidationError("Entries[0]", "First is bad."), new CrmValidationError("Entries[1]", "Second is bad.") };

        // Act
        var ex = new CrmValidationException("Field mapping", errors);

        // Assert
        Assert.Equal("Field mapping is invalid (2 problems): First is bad. Second is bad.", ex.Message);
    }
}
