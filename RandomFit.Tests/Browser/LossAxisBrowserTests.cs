using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RandomFit.Tests.Api;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Browser;

/// <summary>Checks the tick labels that Plotly draws on the logarithmic loss axes of the experiment and run pages.</summary>
[Collection(TorchCollection.Name)]
public sealed class LossAxisBrowserTests
{
    private const string ExperimentId = "tiny-loss";
    private const string RunId = "tiny-loss-run";

    // The first chart of each page plots the train loss: the experiment page's only chart for the run's model, and the
    // run page's loss chart.
    [Theory]
    [InlineData($"/experiments/{ExperimentId}?metric=trainLoss")]
    [InlineData($"/runs/{RunId}")]
    public async Task LossAxis_TinyLosses_LabelsReadTheirValues(string address)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunAsync(host, 11, epoch => Math.Pow(10, 1 - epoch));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await page.WaitForSelectorAsync(".js-plotly-plot .ytick text");

        var ticks = await ReadTickLabelsAsync(page);
        var values = ticks.Select(tick => ParseLabel(tick.Text)).ToList();

        Assert.True(ticks.Length >= 4, $"Only {ticks.Length} tick labels: {Describe(ticks)}");
        Assert.All(values, value => Assert.NotNull(value));
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(values[i] < values[i - 1], $"Labels must fall from top to bottom: {Describe(ticks)}");
        }

        // A linear axis from zero would put the smallest losses on its 0 tick, where they read as no loss at all.
        Assert.True(values[^1] > 0, $"The lowest label should be a positive decade: {Describe(ticks)}");
        Assert.True(values[^1] <= 1e-8, $"The lowest label should be near the smallest loss, 1e-10: {Describe(ticks)}");
        Assert.All(ticks, tick => Assert.True(tick.Left >= 0, $"Label '{tick.Text}' starts {tick.Left:0} px left of the chart."));
    }

    // Plotly's default double-click autoscaled a chart that was not zoomed, so the accuracy axis left its fixed 0-1.02
    // range, such as 0-0.58 for a run below 58%. A double-click now resets the axes to their first ranges.
    [Theory]
    [InlineData($"/runs/{RunId}", "[data-testid=accuracy-chart] .js-plotly-plot")]
    [InlineData($"/experiments/{ExperimentId}?metric=trainAccuracy", ".js-plotly-plot")]
    [InlineData($"/compare?runs={RunId}&metric=trainAccuracy", ".js-plotly-plot")]
    public async Task AccuracyAxis_DoubleClick_KeepsZeroToOne(string address, string chart)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunAsync(host, 3, epoch => 2.3);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await page.WaitForSelectorAsync($"{chart} .ytick text");
        await page.Locator($"{chart} .nsewdrag").First.DblClickAsync();
        await page.WaitForTimeoutAsync(500);
        var range = await page.Locator(chart).First.EvaluateAsync<double[]>("plot => plot._fullLayout.yaxis.range");

        Assert.Equal([0, CurveAxes.AccuracyAxisTop], range);
    }

    // A diverged run's loss of 2e31 is beyond what Plotly.Blazor's decimals hold, and it ended the page's circuit
    // before the chart was drawn.
    [Theory]
    [InlineData($"/experiments/{ExperimentId}?metric=trainLoss")]
    [InlineData($"/runs/{RunId}")]
    [InlineData($"/compare?runs={RunId}&metric=trainLoss")]
    public async Task LossAxis_LossBeyondDecimal_DrawsEveryEpoch(string address)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunAsync(host, 3, epoch => epoch == 2 ? 1.9981163e31 : 2.3);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await page.WaitForSelectorAsync(".js-plotly-plot .ytick text");
        var highest = await page.EvaluateAsync<double>(
            "() => Math.max(...document.querySelector('.js-plotly-plot')._fullData[0].y.map(Number))");

        Assert.Equal(1.9981163e31, highest, 1e24);
    }

    // A CNN memorizing random labels: the train loss falls from 1.6 to 0.026 over 20 epochs (about two decades), or to
    // 0.08 (1.3 decades). There Plotly's own choice labelled every digit, 0.9, 0.8 and 0.7 and 0.09, 0.08 and 0.07, a
    // few pixels apart.
    [Theory]
    [InlineData($"/experiments/{ExperimentId}?metric=trainLoss", 0.026)]
    [InlineData($"/experiments/{ExperimentId}?metric=trainLoss", 0.08)]
    [InlineData($"/runs/{RunId}", 0.026)]
    [InlineData($"/runs/{RunId}", 0.08)]
    public async Task LossAxis_OneToTwoDecades_LabelsDoNotOverlap(string address, double finalLoss)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunAsync(host, 20, epoch => 1.6 * Math.Pow(finalLoss / 1.6, (epoch - 1) / 19.0));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await page.WaitForSelectorAsync(".js-plotly-plot .ytick text");
        var ticks = await ReadTickLabelsAsync(page);

        Assert.True(ticks.Length >= 4, $"Only {ticks.Length} tick labels: {Describe(ticks)}");
        for (var i = 1; i < ticks.Length; i++)
        {
            Assert.True(
                ticks[i].Top >= ticks[i - 1].Bottom,
                $"Label '{ticks[i].Text}' (top {ticks[i].Top:0.0}) overlaps '{ticks[i - 1].Text}' (bottom {ticks[i - 1].Bottom:0.0}): {Describe(ticks)}");
        }
    }

    // A 20-epoch run whose loss falls from 1.6 to 0.026 gets epoch ticks every 5 epochs and loss ticks at 0.01, 0.02,
    // 0.05, 0.1, 0.2, 0.5, 1 and 2. None of them falls inside a zoom to epochs 5.2-7.8 and losses 0.25-0.45.
    [Theory]
    [InlineData($"/experiments/{ExperimentId}?metric=trainLoss")]
    [InlineData($"/runs/{RunId}")]
    [InlineData($"/compare?runs={RunId}&metric=trainLoss")]
    public async Task LossAxis_Zoomed_TicksFollowRange(string address)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunAsync(host, 20, epoch => 1.6 * Math.Pow(0.026 / 1.6, (epoch - 1) / 19.0));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.WaitForSelectorAsync(".js-plotly-plot .ytick text");
        var fullY = Texts(await ReadTickLabelsAsync(page));
        var fullX = Texts(await ReadXTickLabelsAsync(page));
        Assert.Equal(["2", "1", "0.5", "0.2", "0.1", "0.05"], fullY);
        Assert.Equal(["5", "10", "15", "20"], fullX);

        // The chart reports the zoom to the server, which sends the new ticks back, so the labels change a moment later.
        const string zoom = """
            () => Plotly.relayout(document.querySelector('.js-plotly-plot'),
                { 'xaxis.range': [5.2, 7.8], 'yaxis.range': [Math.log10(0.25), Math.log10(0.45)] })
            """;
        var (yTicks, xTicks) = await ZoomUntilAsync(page, zoom, (y, x) => y.Length >= 2 && x.Length >= 2);

        Assert.True(yTicks.Length >= 2, $"Only {yTicks.Length} loss labels in the zoom: {Describe(yTicks)}");
        Assert.True(xTicks.Length >= 2, $"Only {xTicks.Length} epoch labels in the zoom: {Describe(xTicks)}");
        for (var i = 1; i < yTicks.Length; i++)
        {
            Assert.True(
                yTicks[i].Top >= yTicks[i - 1].Bottom,
                $"Label '{yTicks[i].Text}' overlaps '{yTicks[i - 1].Text}': {Describe(yTicks)}");
        }

        for (var i = 1; i < xTicks.Length; i++)
        {
            Assert.True(
                xTicks[i].Left >= xTicks[i - 1].Right,
                $"Label '{xTicks[i].Text}' overlaps '{xTicks[i - 1].Text}': {Describe(xTicks)}");
        }

        Assert.Equal(["6", "7"], Texts(xTicks));

        // A double-click autoscales both axes, which brings back the ticks chosen for the data.
        await page.Locator(".js-plotly-plot .nsewdrag").First.DblClickAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !Texts(await ReadTickLabelsAsync(page)).SequenceEqual(fullY))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(fullY, Texts(await ReadTickLabelsAsync(page)));
        Assert.Equal(fullX, Texts(await ReadXTickLabelsAsync(page)));
    }

    // Seed 0's loss stays 100 times below seed 1's, so the arithmetic mean less one standard deviation is below 0. The
    // geometric band stays above 0 and fills the space between its edges.
    [Fact]
    public async Task CohortBand_LossSpreadOverDecades_FillDrawn()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreRunsAsync(host, 10, epoch => 0.01 / epoch, epoch => 1.0 / epoch);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, $"/experiments/{ExperimentId}?metric=trainLoss").ToString());
        await page.WaitForSelectorAsync(".js-plotly-plot .js-fill");
        var fill = await page.EvaluateAsync<BandBox>("""
            () => {
                const plot = document.querySelector('.js-plotly-plot');
                const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
                const fill = plot.querySelector('.js-fill');
                const bounds = fill.getBoundingClientRect();
                return {
                    path: fill.getAttribute('d') ?? '',
                    top: bounds.top - area.top,
                    bottom: bounds.bottom - area.top,
                    areaHeight: area.height,
                };
            }
            """);

        Assert.StartsWith("M", fill.Path);
        Assert.DoesNotContain("NaN", fill.Path);
        Assert.True(fill.Top >= 0, $"The band starts {-fill.Top:0} px above the plot area.");
        Assert.True(fill.Bottom <= fill.AreaHeight, $"The band ends {fill.Bottom - fill.AreaHeight:0} px below the plot area.");
        // The edges lie 10^sqrt(2) (about 26) times either side of the geometric mean, 2.8 of the axis's about 3 decades.
        Assert.True(fill.Bottom - fill.Top > fill.AreaHeight / 2, $"The band is {fill.Bottom - fill.Top:0} px high of {fill.AreaHeight:0} px.");
        Assert.Equal(CohortCharts.GeometricBandNote, await page.Locator("[data-testid=band-note]").TextContentAsync());
    }

    // Applies the zoom until the labels meet the condition, for at most 10 s. The chart starts reporting zooms a moment
    // after its first plot, so a zoom made before then is repeated.
    private static async Task<(TickLabel[] Y, TickLabel[] X)> ZoomUntilAsync(
        IPage page, string zoom, Func<TickLabel[], TickLabel[], bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await page.EvaluateAsync(zoom);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            var y = await ReadTickLabelsAsync(page);
            var x = await ReadXTickLabelsAsync(page);
            if (condition(y, x) || DateTime.UtcNow > deadline)
            {
                return (y, x);
            }
        }
    }

    private static string[] Texts(IEnumerable<TickLabel> ticks) => [.. ticks.Select(tick => tick.Text)];

    // Each epoch label of the first chart with its text, left and right edge relative to the chart, leftmost first.
    private static Task<TickLabel[]> ReadXTickLabelsAsync(IPage page) =>
        page.EvaluateAsync<TickLabel[]>("""
            () => {
                const plot = document.querySelector('.js-plotly-plot');
                const box = plot.getBoundingClientRect();
                return [...plot.querySelectorAll('.xtick text')]
                    .map(label => {
                        const bounds = label.getBoundingClientRect();
                        return {
                            text: label.textContent,
                            left: bounds.left - box.left,
                            right: bounds.right - box.left,
                        };
                    })
                    .sort((a, b) => a.left - b.left);
            }
            """);

    // Each label of the first chart with its text, top, bottom and left edge relative to the chart, topmost first.
    private static Task<TickLabel[]> ReadTickLabelsAsync(IPage page) =>
        page.EvaluateAsync<TickLabel[]>("""
            () => {
                const plot = document.querySelector('.js-plotly-plot');
                const box = plot.getBoundingClientRect();
                return [...plot.querySelectorAll('.ytick text')]
                    .map(label => {
                        const bounds = label.getBoundingClientRect();
                        return {
                            text: label.textContent,
                            top: bounds.top - box.top,
                            bottom: bounds.bottom - box.top,
                            left: bounds.left - box.left,
                        };
                    })
                    .sort((a, b) => a.top - b.top);
            }
            """);

    // Plotly writes the minus sign of an exponent as U+2212.
    private static double? ParseLabel(string text) =>
        double.TryParse(text.Replace('\u2212', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static string Describe(IEnumerable<TickLabel> ticks) => string.Join(" | ", ticks.Select(tick => tick.Text));

    // A completed run of the given number of epochs with the given train loss at each epoch. The first test's loss falls
    // tenfold each epoch, from 1 to 1e-10, as a memorizing MLP's does over thousands of epochs.
    private static Task StoreRunAsync(BrowserHost host, int epochs, Func<int, double> trainLoss) =>
        StoreRunsAsync(host, epochs, trainLoss);

    // Completed runs of seeds 0, 1, ... of one model, each with its own train loss at each epoch. Seed 0's run is RunId.
    private static async Task StoreRunsAsync(BrowserHost host, int epochs, params Func<int, double>[] trainLosses)
    {
        var spec = ResultFixtures.Spec(testSamples: 0) with
        {
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [4] }],
            Training = new TrainingSpec { Epochs = epochs },
            Seeds = [.. Enumerable.Range(0, trainLosses.Length)],
        };
        var factory = host.Services.GetRequiredService<IDbContextFactory<RandomFitDbContext>>();
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await factory.CreateDbContextAsync(cancellation);
        var experiment = new ExperimentEntity
        {
            Id = ExperimentId,
            Name = "tiny losses",
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        };
        for (var seed = 0; seed < trainLosses.Length; seed++)
        {
            var runId = seed == 0 ? RunId : $"{RunId}-{seed}";
            var run = new RunEntity
            {
                Id = runId,
                ExperimentId = ExperimentId,
                Model = "mlp",
                Seed = seed,
                Status = RunStatus.Completed,
                TotalEpochs = epochs,
                CreatedAt = DateTimeOffset.UtcNow,
                Sequence = seed + 1,
            };
            for (var epoch = 1; epoch <= epochs; epoch++)
            {
                run.Epochs.Add(new EpochEntity
                {
                    RunId = runId,
                    Epoch = epoch,
                    TrainLoss = trainLosses[seed](epoch),
                    TrainAccuracy = 1.0,
                    Seconds = 0.01,
                    ElapsedSeconds = 0.01 * epoch,
                });
            }

            experiment.Runs.Add(run);
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(cancellation);
    }

    // Playwright fills the properties of a parameterless class from the evaluated object.
    private sealed class TickLabel
    {
        public string Text { get; set; } = "";

        public double Top { get; set; }

        public double Bottom { get; set; }

        public double Left { get; set; }

        public double Right { get; set; }
    }

    // The band's fill path, its top and bottom relative to the plot area, and the plot area's height.
    private sealed class BandBox
    {
        public string Path { get; set; } = "";

        public double Top { get; set; }

        public double Bottom { get; set; }

        public double AreaHeight { get; set; }
    }
}
