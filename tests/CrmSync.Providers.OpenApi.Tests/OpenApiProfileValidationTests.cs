using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>Profiles are checked against their OpenAPI document; every problem names the profile entry at fault.</summary>
public sealed class OpenApiProfileValidationTests
{
    private static readonly OpenApiProfile Reapit = OpenApiProfiles.Reapit;

    [Fact]
    public void Validate_ShippedReapitProfile_HasNoProblems()
    {
        // Act
        var problems = OpenApiProfiles.Validate(Reapit);

        // Assert
        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_UnknownOperation_NamesTheEntryAndListsTheDocumentsOperations()
    {
        // Arrange
        var profile = Reapit with { Contact = Reapit.Contact with { Create = new OpenApiOperationRef { Operation = "postContact" } } };

        // Act
        var problem = Assert.Single(OpenApiProfiles.Validate(profile));

        // Assert
        Assert.Equal("contact.create.operation", problem.Entry);
        Assert.Contains("'postContact'", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("createContact", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OperationWithTheWrongMethod_NamesTheEntry()
    {
        // Arrange
        var profile = Reapit with { Contact = Reapit.Contact with { Create = new OpenApiOperationRef { Operation = "getContacts" } } };

        // Act
        var problems = OpenApiProfiles.Validate(profile);

        // Assert
        Assert.Contains(problems, p => p.Entry == "contact.create.operation" && p.Problem.Contains("needs POST", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RequiredFieldNobodyFills_NamesTheField()
    {
        // Arrange: Reapit requires marketingConsent on create; the profile fills it with a fixed value
        var profile = Reapit with { Contact = Reapit.Contact with { FixedValues = new Dictionary<string, string>() } };

        // Act
        var problem = Assert.Single(OpenApiProfiles.Validate(profile));

        // Assert
        Assert.Equal("contact.fields", problem.Entry);
        Assert.Contains("'marketingConsent'", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FieldTheDocumentLacks_NamesTheHostField()
    {
        // Arrange
        var fields = new Dictionary<string, string>(Reapit.Contact.Fields) { [CrmFieldNames.Email] = "emailAddress" };
        var profile = Reapit with { Contact = Reapit.Contact with { Fields = fields } };

        // Act
        var problem = Assert.Single(OpenApiProfiles.Validate(profile));

        // Assert
        Assert.Equal("contact.fields.email", problem.Entry);
        Assert.Contains("'emailAddress'", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("createContact", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WrongTypes_NameEachEntry()
    {
        // Arrange: the external id in a boolean, an object as a field, a fixed value outside its enum
        var fields = new Dictionary<string, string>(Reapit.Contact.Fields) { [CrmFieldNames.Company] = "primaryAddress" };
        var profile = Reapit with
        {
            Contact = Reapit.Contact with
            {
                ExternalIdField = "active",
                Fields = fields,
                FixedValues = new Dictionary<string, string> { ["marketingConsent"] = "sure" },
            },
        };

        // Act
        var problems = OpenApiProfiles.Validate(profile);

        // Assert
        Assert.Contains(problems, p => p.Entry == "contact.externalIdField" && p.Problem.Contains("boolean", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Entry == "contact.fields.company" && p.Problem.Contains("is an object", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Entry == "contact.fixedValues.marketingConsent" && p.Problem.Contains("grant, deny, notAsked", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownParameterAndHostField_NameTheirEntries()
    {
        // Arrange
        var fields = new Dictionary<string, string>(Reapit.Contact.Fields) { ["emial"] = "workPhone" };
        var profile = Reapit with
        {
            Contact = Reapit.Contact with
            {
                SearchByEmail = new OpenApiOperationRef { Operation = "getContacts", Parameter = "mail" },
                Fields = fields,
            },
        };

        // Act
        var problems = OpenApiProfiles.Validate(profile);

        // Assert
        Assert.Contains(problems, p => p.Entry == "contact.searchByEmail.parameter" && p.Problem.Contains("'mail'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Entry == "contact.fields.emial" && p.Problem.Contains("not a CrmSync field", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RequiredHeaderMissing_NamesTheHeader()
    {
        // Arrange
        var profile = Reapit with { Headers = new Dictionary<string, string> { ["reapit-customer"] = "{credentials:apiKey}" } };

        // Act
        var problems = OpenApiProfiles.Validate(profile);

        // Assert
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal("headers", p.Entry));
        Assert.Contains(problems, p => p.Problem.Contains("'api-version'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IfMatchWithoutGet_NamesTheEntry()
    {
        // Arrange
        var profile = Reapit with { Contact = Reapit.Contact with { Get = null } };

        // Act
        var problem = Assert.Single(OpenApiProfiles.Validate(profile));

        // Assert
        Assert.Equal("contact.get", problem.Entry);
    }

    [Fact]
    public void Parse_UnknownMember_NamesThePath()
    {
        // Act
        var error = Assert.Throws<OpenApiProfileException>(() => OpenApiProfile.Parse("""{"name":"x","displayName":"X","document":"d.json","baseUrl":"https://x.test","auth":{"kind":"apiKey"},"paging":{"style":"cursor","sizeParameter":"limit","pageParameter":"cursor","itemsPath":"data","nextCursorPath":"next"},"contact":{"serchByEmail":{}}}"""));

        // Assert
        Assert.Contains("serchByEmail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveOptions_InvalidProfile_StopsTheHostNamingTheEntry()
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddCrmSync().AddOpenApiCrm(Reapit with { Contact = Reapit.Contact with { Update = Reapit.Contact.Update! with { Operation = "patchContacts" } } }, o =>
        {
            o.ClientId = "id";
            o.ClientSecret = "secret";
        });
        using var provider = services.BuildServiceProvider();

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OpenApiCrmOptions>>().Get("reapit"));

        // Assert
        Assert.Contains("entry 'contact.update.operation'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'patchContacts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveOptions_OAuthProfileWithoutAppCredentials_FailsClearly()
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddCrmSync().AddReapit();
        using var provider = services.BuildServiceProvider();

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OpenApiCrmOptions>>().Get("reapit"));

        // Assert
        Assert.Contains("ClientId and ClientSecret", error.Message, StringComparison.Ordinal);
    }
}
