using Microsoft.Playwright;

namespace RandomFit.Tests.Browser;

/// <summary>Opens a compare link in a fresh browser context and checks that it shows the view the link names.</summary>
[Collection(TorchCollection.Name)]
public sealed class CompareBrowserTests
{
    [Fact]
    public async Task CompareLink_FreshContext_ShowsSameRunsMetricAndAxis()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        var runIds = await BrowserHost.CreateFinishedRunsAsync(host.BaseAddress, epochs: 3, seeds: [0, 1]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        var link = $"/compare?runs={string.Join(',', runIds)}&metric=trainLoss&x=seconds";
        await page.GotoAsync(new Uri(host.BaseAddress, link).ToString());
        await page.WaitForSelectorAsync("[data-testid=compare-table]");
        var shownRuns = await page.Locator("[data-testid=compare-table] thead th[data-run]")
            .EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.run)");

        Assert.Equal(runIds, shownRuns);
        Assert.Equal("trainLoss", await page.Locator("[data-testid=selected-metric]").TextContentAsync());
        Assert.Equal("seconds", await page.Locator("[data-testid=selected-x]").TextContentAsync());
        Assert.Equal("2", await page.GetAttributeAsync("[data-testid=compare-chart]", "data-traces"));
    }
}
