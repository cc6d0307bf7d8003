using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Mapping;

public class FieldMappingCrmValidationTests
{
    private static readonly IReadOnlyList<CrmFieldInfo> Fields =
    [
        new("email", "Email", CrmFieldType.Email, Writable: true),
        new("jobtitle", "Job Title", CrmFieldType.Text, Writable: true),
        new("createdate", "Create Date", CrmFieldType.DateTime, Writable: false),
        new("num_employees", "Employees", CrmFieldType.Number, Writable: true, Custom: true),
        new("newsletter", "Newsletter", CrmFieldType.Boolean, Writable: true, Custom: true),
        new("renewal_date", "Renewal date", CrmFieldType.Date, Writable: true, Custom: true),
        new("lifecyclestage", "Lifecycle Stage", CrmFieldType.Enumeration, Writable: true) { Options = ["lead", "customer"] },
        new("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2", "Lead source", CrmFieldType.Text, Writable: true, Custom: true),
        new("source_a", "Source", CrmFieldType.Text, Writable: true),
        new("source_b", "Source", CrmFieldType.Text, Writable: true, Custom: true),
    ];

    [Fact]
    public void ValidateAgainstCrm_UnknownField_ErrorNamesTheFieldAndTheCrm()
    {
        // Arrange
        var mapping = FieldMapping.Empty.With(FieldMappingEntry.Fixed("lead_source", "Partner"));

        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(mapping, Fields, "HubSpot", out _);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("Entries[0]", error.Path);
        Assert.Contains("HubSpot has no field 'lead_source'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainstCrm_ReadOnlyField_Refused()
    {
        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(FieldMapping.Empty.With(FieldMappingEntry.Field("createdate", "created")), Fields, "HubSpot", out _);

        // Assert
        Assert.Equal("'Create Date' (createdate) is read-only in HubSpot; map another field.", Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData("num_employees", "about fifty", "holds a number")]
    [InlineData("newsletter", "yes", "use 'true' or 'false'")]
    [InlineData("renewal_date", "04/12/2026", "write it as yyyy-MM-dd")]
    [InlineData("lifecyclestage", "Customer", "accepts only 'lead', 'customer'")]
    [InlineData("email", "sales at example", "holds an email address")]
    public void ValidateAgainstCrm_FixedValueOfTheWrongType_ErrorSaysWhatTheFieldHolds(string field, string value, string expected)
    {
        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(FieldMapping.Empty.With(FieldMappingEntry.Fixed(field, value)), Fields, "HubSpot", out _);

        // Assert
        Assert.Contains(expected, Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("num_employees", "1250.5")]
    [InlineData("newsletter", "true")]
    [InlineData("renewal_date", "2026-12-04")]
    [InlineData("lifecyclestage", "customer")]
    [InlineData("email", "sales@example.com")]
    public void ValidateAgainstCrm_FixedValueOfTheRightType_NoError(string field, string value)
    {
        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(FieldMapping.Empty.With(FieldMappingEntry.Fixed(field, value)), Fields, "HubSpot", out _);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void ValidateAgainstCrm_FieldNamedByLabelOrOtherCase_ResolvedToTheApiName()
    {
        // Arrange: a Pipedrive custom field by the name users see, and a HubSpot field in another case.
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("Lead source", "Partner"))
            .With(FieldMappingEntry.Field("JobTitle", "title"));

        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(mapping, Fields, "Pipedrive", out var resolved);

        // Assert
        Assert.Empty(errors);
        Assert.Equal(["a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2", "jobtitle"], resolved.Entries.Select(e => e.CrmField));
        Assert.Equal(["Partner", "title"], resolved.Entries.Select(e => e.Value));
    }

    [Fact]
    public void ValidateAgainstCrm_LabelSharedByTwoFields_NotGuessed()
    {
        // Act
        var errors = FieldMappingValidator.ValidateAgainstCrm(FieldMapping.Empty.With(FieldMappingEntry.Fixed("Source", "x")), Fields, "Pipedrive", out _);

        // Assert
        Assert.Contains("Pipedrive has no field 'Source'", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
