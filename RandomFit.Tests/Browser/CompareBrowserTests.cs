using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

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

    // Names of an experiment, a model and a condition may each have 200 characters without a space. They kept the
    // first run's column as wide as the whole name, so the second run's column started past the card's edge.
    [Fact]
    public async Task CompareTable_LongUnspacedNames_EveryRunInView()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var cancellation = TestContext.Current.CancellationToken;
        var longName = new string('m', 200);
        var body = new
        {
            name = new string('W', 200),
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 2, width = 2 },
                    trainSamples = 4,
                    conditions = new object[] { new { name = longName } },
                },
                models = new object[] { new { name = longName, kind = "mlp" }, new { name = "mlp", kind = "mlp" } },
                training = new { epochs = 1 },
            },
        };
        var response = await client.PostAsJsonAsync("/api/experiments", body, cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await response.Content.ReadAsStringAsync(cancellation), SpecJson.Options)!;
        foreach (var run in created.Runs)
        {
            await BrowserHost.WaitForFinalAsync(client, run.Id);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        var link = $"/compare?runs={string.Join(',', created.Runs.Select(run => run.Id))}";
        await page.GotoAsync(new Uri(host.BaseAddress, link).ToString());
        await page.WaitForSelectorAsync("[data-testid=compare-table] thead th[data-run]");
        // The right edges of the scrolling box and of the last run's header cell.
        var edges = await page.Locator("[data-testid=compare-table-scroll]").EvaluateAsync<double[]>("""
            box => [box.getBoundingClientRect().right, [...box.querySelectorAll('thead th[data-run]')].at(-1).getBoundingClientRect().right]
            """);

        Assert.Equal(2, created.Runs.Count);
        Assert.True(edges[1] <= edges[0] + 1, $"The last run's column ends at {edges[1]:0.0} px, past the table's edge at {edges[0]:0.0} px.");
    }
}
