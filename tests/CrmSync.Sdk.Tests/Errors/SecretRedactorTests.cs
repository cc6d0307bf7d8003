using CrmSync.Sdk;

namespace CrmSync.Sdk.Tests.Errors;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***")]
    [InlineData("Zoho-oauthtoken 1000.abcdef", "Zoho-oauthtoken ***")]
    [InlineData("{\"access_token\":\"s3cr3t\",\"expires_in\":1800}", "{\"access_token\":\"***\",\"expires_in\":1800}")]
    [InlineData("{\"refresh_token\": \"r3fr3sh\"}", "{\"refresh_token\": \"***\"}")]
    [InlineData("POST /token?refresh_token=abc&client_secret=xyz", "POST /token?refresh_token=***&client_secret=***")]
    [InlineData("nothing secret here", "nothing secret here")]
    public void Redact_KnownSecretShapes_AreMasked(string input, string expected)
    {
        // Act + Assert
        Assert.Equal(expected, SecretRedactor.Redact(input));
    }

    [Fact]
    public void Redact_KnownValues_AreMaskedAnywhere()
    {
        // Act
        var result = SecretRedactor.Redact("token pd-123456 was rejected", ["pd-123456"]);

        // Assert
        Assert.Equal("token *** was rejected", result);
    }

    [Fact]
    public void CrmCredentials_ToString_NeverPrintsSecrets()
    {
        // Arrange
        var credentials = new CrmCredentials { AccessToken = "at-secret-1", RefreshToken = "rt-secret-2", ApiKey = "key-secret-3" };

        // Act
        var text = credentials.ToString();

        // Assert
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("AccessToken = ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownProblemType_FallsBackToGenericTextKeepingType()
    {
        // Act
        var explanation = CrmProblemCatalog.Explain(new CrmProblemType("weird_thing"));

        // Assert
        Assert.Equal("weird_thing", explanation.Type.Value);
        Assert.Equal("Something else went wrong", explanation.Title);
    }

    [Fact]
    public void Explain_RequiredField_SaysHowToFix()
    {
        // Act
        var explanation = CrmProblemCatalog.Explain(CrmProblemType.RequiredFieldMissing);

        // Assert
        Assert.Contains("Retry failed records", explanation.Fix, StringComparison.Ordinal);
    }
}
