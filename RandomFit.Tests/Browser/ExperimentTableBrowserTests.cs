using System.Net.Http.Json;
using Microsoft.Playwright;

namespace RandomFit.Tests.Browser;

/// <summary>The experiment tables of the dashboard and the experiments list.</summary>
[Collection(TorchCollection.Name)]
public sealed class ExperimentTableBrowserTests
{
    // A name may have 200 characters without a space. Such a name kept its column as wide as the whole name, which
    // pushed the preset, date and run counts of every experiment out of view.
    [Theory]
    [InlineData("/", "recent")]
    [InlineData("/experiments", "experiment-list")]
    public async Task LongUnspacedName_CountsStayInView(string address, string tableTestId)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var api = new HttpClient { BaseAddress = host.BaseAddress };
        var body = new
        {
            name = new string('W', 200),
            spec = new
            {
                data = new { shape = new { channels = 1, height = 2, width = 2 }, trainSamples = 4 },
                models = new object[] { new { name = "mlp", kind = "mlp" } },
                training = new { epochs = 1 },
            },
        };
        var created = await api.PostAsJsonAsync("/api/experiments", body, TestContext.Current.CancellationToken);
        created.EnsureSuccessStatusCode();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        var table = page.Locator($"[data-testid={tableTestId}]");
        await table.Locator("tbody tr[data-experiment]").First.WaitForAsync();
        // The right edges of the table's visible box and of its last header cell, "Interrupted".
        var edges = await table.EvaluateAsync<double[]>("""
            table => {
                const last = [...table.querySelectorAll('thead th')].at(-1);
                return [table.getBoundingClientRect().right, last.getBoundingClientRect().right];
            }
            """);

        Assert.True(edges[1] <= edges[0] + 1, $"The Interrupted column ends at {edges[1]:0.0} px, past the table's edge at {edges[0]:0.0} px.");
    }
}
