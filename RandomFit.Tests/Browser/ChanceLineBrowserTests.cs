using System.Text.Json;
using Microsoft.Playwright;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Browser;

/// <summary>Checks the color Plotly draws the chance line in, next to the runs' own colors.</summary>
[Collection(TorchCollection.Name)]
public sealed class ChanceLineBrowserTests
{
    private const string Chart = "[data-testid=compare-chart] .js-plotly-plot";

    // Plotly's colorway has ten colors, so with eleven runs a chance line colored by its place would repeat one.
    [Fact]
    public async Task ChanceLine_ElevenRuns_HasOwnColor()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        var runIds = await BrowserHost.CreateFinishedRunsAsync(host.BaseAddress, epochs: 2, seeds: [.. Enumerable.Range(0, 11)]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, $"/compare?runs={string.Join(',', runIds)}&metric=trainAccuracy").ToString());
        await page.WaitForFunctionAsync($"() => document.querySelector('{Chart}')?._fullData?.length === 12");
        var traces = await page.EvaluateAsync<JsonElement>(
            $"() => document.querySelector('{Chart}')._fullData.map(trace => ({{ name: trace.name, color: trace.line.color }}))");
        var colors = traces.EnumerateArray()
            .Select(trace => (Name: trace.GetProperty("name").GetString(), Color: trace.GetProperty("color").GetString()))
            .ToList();

        var chance = Assert.Single(colors, trace => trace.Name == ChanceLine.Name);
        Assert.Equal(ChanceLine.Color, chance.Color);
        Assert.All(
            colors.Where(trace => trace.Name != ChanceLine.Name),
            trace => Assert.NotEqual(chance.Color, trace.Color));
    }
}
