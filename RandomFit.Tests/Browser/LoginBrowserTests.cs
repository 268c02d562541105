using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using RandomFit.Web.Security;

namespace RandomFit.Tests.Browser;

/// <summary>Signs in and out through the login page in headless Chromium, with sign-in required.</summary>
[Collection(TorchCollection.Name)]
public sealed class LoginBrowserTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Login_InBrowser_TogglesStartButton()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost(builder => builder.UseSetting("RandomFit:Auth:RequireSignIn", "true"));
        host.StartServer();
        var exitCode = await AccountCommands.RunAsync(
            host.Services, [AccountCommands.CreateUser, "alice"], new StringReader(Password), TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, exitCode);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var policyViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                policyViolations.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());

        // The link is followed by address rather than clicked: a click while the page's circuit connects can be
        // lost, and the link's target is what this test checks.
        var loginLink = await page.GetAttributeAsync("[data-testid=sign-in-to-start]", "href");
        Assert.Equal("/account/login?returnUrl=%2Fexperiments%2Fnew", loginLink);
        await page.GotoAsync(new Uri(host.BaseAddress, loginLink).ToString());
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.FillAsync("input[name=userName]", "alice");
        await page.FillAsync("input[name=password]", Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(new Regex("/experiments/new$"));
        await page.WaitForSelectorAsync("[data-testid=start]");
        var userName = await page.TextContentAsync("[data-testid=user-name]");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForSelectorAsync("[data-testid=sign-in]");
        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await page.WaitForSelectorAsync("[data-testid=sign-in-to-start]");

        Assert.Equal("alice", userName);
        Assert.Empty(policyViolations);
    }
}
