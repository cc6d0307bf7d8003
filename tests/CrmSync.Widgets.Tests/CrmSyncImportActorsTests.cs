using System.Security.Claims;

namespace CrmSync.Widgets.Tests;

public class CrmSyncImportActorsTests
{
    [Fact]
    public void FromClaims_NameAndRoleClaims_BecomeUserIdAndRoles()
    {
        // Arrange
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, "Manager"), new Claim(ClaimTypes.Role, "member")], "cookie"));

        // Act
        var sut = CrmSyncImportActors.FromClaims(user);

        // Assert
        Assert.NotNull(sut);
        Assert.Equal("ada", sut.UserId);
        Assert.True(sut.HasAnyRole(["manager"]));
        Assert.Equal(2, sut.Roles.Count);
    }

    [Fact]
    public void FromClaims_CustomNameAndRoleClaimTypes_AreHonoured()
    {
        // Arrange
        var identity = new ClaimsIdentity([new Claim("sub", "u-42"), new Claim("role", "admin")], "oidc", "sub", "role");

        // Act
        var sut = CrmSyncImportActors.FromClaims(new ClaimsPrincipal(identity));

        // Assert
        Assert.Equal("u-42", sut?.UserId);
        Assert.Equal(["admin"], sut!.Roles);
    }

    [Fact]
    public void FromClaims_NoNameButNameIdentifier_UsesNameIdentifier()
    {
        // Arrange
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "id-7"), new Claim(ClaimTypes.Role, "owner")], "cookie"));

        // Act
        var sut = CrmSyncImportActors.FromClaims(user);

        // Assert
        Assert.Equal("id-7", sut?.UserId);
        Assert.Equal(["owner"], sut!.Roles);
    }

    [Fact]
    public void FromClaims_SignedOutOrAnonymous_ReturnsNull()
    {
        // Arrange
        var signedOut = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, "admin")]));
        var nameless = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "admin")], "cookie"));

        // Act
        var fromSignedOut = CrmSyncImportActors.FromClaims(signedOut);
        var fromNameless = CrmSyncImportActors.FromClaims(nameless);

        // Assert
        Assert.Null(fromSignedOut);
        Assert.Null(fromNameless);
    }

    [Fact]
    public void Resolve_HostMapping_WinsButNeverForSignedOutUsers()
    {
        // Arrange
        var options = new CrmSyncWidgetOptions { ImportActor = u => CrmImportActor.Create("mapped", "admin") };
        var signedIn = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "cookie"));
        var signedOut = new ClaimsPrincipal(new ClaimsIdentity());

        // Act
        var mapped = CrmSyncImportActors.Resolve(options, signedIn);
        var refused = CrmSyncImportActors.Resolve(options, signedOut);

        // Assert
        Assert.Equal("mapped", mapped?.UserId);
        Assert.Null(refused);
    }
}
