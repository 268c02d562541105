using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MudBlazor;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Browser;

/// <summary>Cancel and then Rerun on a run's page, through the app's router in a real browser.</summary>
[Collection(TorchCollection.Name)]
public sealed class RunPageRerunBrowserTests
{
    [Fact]
    public async Task RunPage_CancelThenRerun_InBrowser()
    {
        DebianChromium.SkipUnlessInstalled();

        var ct = TestContext.Current.CancellationToken;

        // A minute instead of MudBlazor's 5 s, so the cancel message cannot close by itself before the checks.
        await using var host = new BrowserHost(builder => builder.ConfigureServices(services =>
            services.Configure<SnackbarConfiguration>(options => options.VisibleStateDuration = 60_000)));
        host.StartServer();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 100_000), ct);
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<ExperimentCreated>(SpecJson.Options, ct))!;
        var runId = created.Runs[0].Id;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{runId}").ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);

        var cancelMessage = page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Cancelling the run." });

        // A queued run would be cancelled at once, with another message.
        await page.Locator("[data-status=running]").WaitForAsync();
        await page.ClickAsync("[data-testid=cancel]");
        await cancelMessage.WaitForAsync();
        await page.ClickAsync("[data-testid=rerun]");
        // Blazor navigates within the document, so no load event follows.
        await page.WaitForFunctionAsync("id => location.pathname !== '/runs/' + id", runId);
        var rerunId = new Uri(page.Url).AbsolutePath["/runs/".Length..];
        await page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = $"Rerun queued as run {rerunId}." }).WaitForAsync();
        await cancelMessage.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await client.PostAsync($"/api/runs/{rerunId}/cancel", null, ct);

        Assert.NotEqual(runId, rerunId);
        Assert.Contains(rerunId, await page.Locator("h4").First.TextContentAsync() ?? "");
        Assert.Equal(0, await cancelMessage.CountAsync());
    }
}
