using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using RandomFit.Web.Components.Layout;
using RandomFit.Web.Security;

namespace RandomFit.Tests.Components;

public sealed class AccountMenuTests : ComponentTestBase
{
    [Fact]
    public void AccountMenu_SignInNotRequired_ShowsNoSignInLink()
    {
        var menu = Render<AccountMenu>();

        Assert.Empty(menu.FindAll("[data-testid=sign-in]"));
        Assert.Empty(menu.FindAll("[data-testid=sign-out]"));
    }

    [Fact]
    public void AccountMenu_SignInRequired_LinksToLoginPage()
    {
        UseSignIn("true");

        var menu = Render<AccountMenu>();

        var link = menu.Find("[data-testid=sign-in]");
        Assert.Equal(AccountEndpoints.LoginPath, link.GetAttribute("href"));
        Assert.Equal("Sign in", link.TextContent.Trim());
    }

    [Fact]
    public void AccountMenu_SignedIn_ShowsNameAndSignOut()
    {
        UseSignIn("true");
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"));

        var menu = Render<AccountMenu>(parameters => parameters.AddCascadingValue(
            Task.FromResult(new AuthenticationState(user))));

        Assert.Equal("alice", menu.Find("[data-testid=user-name]").TextContent);
        Assert.Single(menu.FindAll("[data-testid=sign-out]"));
        Assert.Empty(menu.FindAll("[data-testid=sign-in]"));
    }
}
