using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RandomFit.Tests.Api;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Browser;

/// <summary>Spacing and alignment of the run page's curve controls and the experiment page's charts.</summary>
[Collection(TorchCollection.Name)]
public sealed class PageLayoutBrowserTests
{
    private const string ExperimentId = "layout";
    private const string FittedRunId = "layout-cnn";
    private const string EmptyRunId = "layout-mlp";

    // The smallest space in pixels between a toggle item's label and its border on either side.
    private const double MinPadding = 8;

    // The largest difference in pixels between the baselines of two chart titles that read as one row.
    private const double MaxTitleOffset = 2;

    // The Epoch/Seconds toggle gave both items the width of the wider label, so "SECONDS" touched its item's right
    // border.
    [Theory]
    [InlineData(1440, 900)]
    [InlineData(390, 844)]
    public async Task RunPage_XAxisToggle_LabelsKeepPadding(int width, int height)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreExperimentAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{FittedRunId}").ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        var paddings = await page.Locator("[aria-label='Curve x-axis'] .mud-toggle-item").EvaluateAllAsync<double[][]>("""
            items => items.map(item => {
                const range = document.createRange();
                range.selectNodeContents(item.querySelector('.mud-button-label').firstChild);
                const text = range.getBoundingClientRect();
                const box = item.getBoundingClientRect();
                return [text.left - box.left, box.right - text.right];
            })
            """);

        Assert.Equal(2, paddings.Length);
        foreach (var (label, padding) in new[] { "Epoch", "Seconds" }.Zip(paddings))
        {
            Assert.True(padding[0] >= MinPadding, $"{label} starts {padding[0]:0.0} px after its item's left edge.");
            Assert.True(padding[1] >= MinPadding, $"{label} ends {padding[1]:0.0} px before its item's right edge.");
        }
    }

    // A model without epochs shows its title above "no epochs yet" in place of a chart, and that title sat higher than
    // the title that Plotly draws above the neighbouring model's plot.
    [Fact]
    public async Task ExperimentPage_ModelWithoutEpochs_TitleAlignsWithNeighbour()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreExperimentAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, $"/experiments/{ExperimentId}").ToString());
        await page.WaitForSelectorAsync("[data-testid=cohort-chart][data-column=cnn] .gtitle");
        var plotted = page.Locator("[data-testid=cohort-chart][data-column=cnn] .gtitle");
        var empty = page.Locator("[data-testid=cohort-chart][data-column=mlp] [data-testid=chart-title]");
        // Plotly writes the title's baseline as the y attribute of its SVG text.
        var plottedBaseline = await plotted.EvaluateAsync<double>(
            "text => text.ownerSVGElement.getBoundingClientRect().top + parseFloat(text.getAttribute('y'))");
        // An empty inline block sits with its bottom edge on the baseline of the line that contains it.
        var emptyBaseline = await empty.EvaluateAsync<double>("""
            element => {
                const probe = document.createElement('span');
                probe.style.display = 'inline-block';
                element.appendChild(probe);
                const baseline = probe.getBoundingClientRect().bottom;
                probe.remove();
                return baseline;
            }
            """);

        Assert.Equal("cnn", (await plotted.TextContentAsync())?.Trim());
        Assert.Equal("mlp", (await empty.TextContentAsync())?.Trim());
        Assert.True(
            Math.Abs(emptyBaseline - plottedBaseline) <= MaxTitleOffset,
            $"The empty chart's title has its baseline at {emptyBaseline:0.0} px, its neighbour's at {plottedBaseline:0.0} px.");
    }

    // At 390 px the experiment's runs table, the experiments list and the runs list showed three of their nine or ten
    // columns and scrolled sideways with nothing on screen saying so. A fade now covers the right edge while columns lie
    // past it and goes once the table is scrolled to its end. At 1440 px each table fits, so its frame shows no fade and
    // the table keeps its width.
    [Theory]
    [InlineData($"/experiments/{ExperimentId}", "experiment-runs-frame", 390, 844, true)]
    [InlineData($"/experiments/{ExperimentId}", "experiment-runs-frame", 1440, 900, false)]
    [InlineData("/experiments", "experiment-list-frame", 390, 844, true)]
    [InlineData("/experiments", "experiment-list-frame", 1440, 900, false)]
    [InlineData("/runs", "run-list-frame", 390, 844, true)]
    [InlineData("/runs", "run-list-frame", 1440, 900, false)]
    public async Task Table_Overflow_FadesScrollingEdge(string address, string frameId, int width, int height, bool scrolls)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreExperimentAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        var frame = page.Locator($"[data-testid={frameId}]");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-testid={frameId}]')?.dataset.moreEnd");
        var before = await ReadScrollCueAsync(frame);

        Assert.Equal(scrolls, before.ScrollWidth > before.ClientWidth);
        Assert.Equal(scrolls ? "true" : "false", before.MoreEnd);
        Assert.Equal("false", before.MoreStart);
        Assert.Equal(0, before.StartOpacity);
        Assert.Equal(scrolls ? 1 : 0, before.EndOpacity);
        // The fade lies over the frame's right edge, in view, and takes no room from the table.
        Assert.Equal(before.FrameRight, before.EndRight, 0.5);
        Assert.True(before.FrameRight <= width, $"The frame ends at {before.FrameRight:0} px, past the {width} px screen.");
        Assert.Equal(before.ClientWidth, before.FrameWidth, 0.5);
        if (!scrolls)
        {
            return;
        }

        await frame.Locator(".mud-table-container").EvaluateAsync("scroller => { scroller.scrollLeft = scroller.scrollWidth; }");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-testid={frameId}]').dataset.moreEnd === 'false'");
        var after = await ReadScrollCueAsync(frame);

        Assert.Equal("true", after.MoreStart);
        Assert.Equal(1, after.StartOpacity);
        Assert.Equal(0, after.EndOpacity);
    }

    // At 390 px the dashboard's empty Running and Queued tables still scroll sideways under their ten column headers,
    // and their one line of text scrolled out of view with the first column. It now stays at the frame's left edge.
    [Theory]
    [InlineData("running", "No experiment is training right now.")]
    [InlineData("queued", "Nothing is waiting.")]
    public async Task Dashboard_EmptyTableScrolled_TextStaysInView(string section, string text)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        await StoreExperimentAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(host.BaseAddress.ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        var frame = page.Locator($"[data-testid={section}-frame]");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-testid={section}-frame]')?.dataset.moreEnd === 'true'");
        await frame.Locator(".mud-table-container").EvaluateAsync("scroller => { scroller.scrollLeft = scroller.scrollWidth; }");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-testid={section}-frame]').dataset.moreEnd === 'false'");
        var edges = await frame.EvaluateAsync<double[]>($$"""
            frame => {
                const cell = [...frame.querySelectorAll('td')].find(td => td.textContent.trim() === '{{text}}');
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                let node = walker.nextNode();
                while (node && !node.textContent.trim()) {
                    node = walker.nextNode();
                }

                // The box of the text itself, not of the cell, which spans every column.
                const range = document.createRange();
                range.selectNodeContents(node);
                const box = range.getBoundingClientRect();
                const frameBox = frame.getBoundingClientRect();
                return [box.left, box.right, frameBox.left, frameBox.right];
            }
            """);

        Assert.True(edges[0] >= edges[2] - 0.5, $"The text starts at {edges[0]:0} px, left of the frame's {edges[2]:0} px.");
        Assert.True(edges[1] <= edges[3] + 0.5, $"The text ends at {edges[1]:0} px, right of the frame's {edges[3]:0} px.");
    }

    // The frame's marks, its fades' opacities once their transition ends, and the widths and edges that place them.
    private static async Task<ScrollCueState> ReadScrollCueAsync(ILocator frame)
    {
        // The fades' opacity changes over 0.15 s, so the figures are read after their transitions end.
        await frame.EvaluateAsync("frame => Promise.all(frame.getAnimations({ subtree: true }).map(animation => animation.finished))");
        return await frame.EvaluateAsync<ScrollCueState>("""
            frame => {
                const scroller = frame.querySelector('.mud-table-container');
                const start = frame.querySelector('.rf-scroll-cue-start');
                const end = frame.querySelector('.rf-scroll-cue-end');
                const frameBox = frame.getBoundingClientRect();
                return {
                    moreStart: frame.dataset.moreStart,
                    moreEnd: frame.dataset.moreEnd,
                    startOpacity: parseFloat(getComputedStyle(start).opacity),
                    endOpacity: parseFloat(getComputedStyle(end).opacity),
                    scrollWidth: scroller.scrollWidth,
                    clientWidth: scroller.clientWidth,
                    frameWidth: frameBox.width,
                    frameRight: frameBox.right,
                    endRight: end.getBoundingClientRect().right,
                };
            }
            """);
    }

    // An experiment of two models: the CNN's run stored 3 epochs, and the MLP's was cancelled before its first epoch.
    private static async Task StoreExperimentAsync(BrowserHost host)
    {
        var spec = ResultFixtures.Spec(testSamples: 0) with { Training = new TrainingSpec { Epochs = 3 }, Seeds = [0] };
        var factory = host.Services.GetRequiredService<IDbContextFactory<RandomFitDbContext>>();
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await factory.CreateDbContextAsync(cancellation);
        var experiment = new ExperimentEntity
        {
            Id = ExperimentId,
            Name = "layout",
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        };
        var fitted = new RunEntity
        {
            Id = FittedRunId,
            ExperimentId = ExperimentId,
            Model = "cnn",
            Seed = 0,
            Status = RunStatus.Completed,
            TotalEpochs = 3,
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
        };
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            fitted.Epochs.Add(new EpochEntity
            {
                RunId = FittedRunId,
                Epoch = epoch,
                TrainLoss = 1.0 / epoch,
                TrainAccuracy = 0.25 * epoch,
                Seconds = 0.01,
                ElapsedSeconds = 0.01 * epoch,
            });
        }

        experiment.Runs.Add(fitted);
        experiment.Runs.Add(new RunEntity
        {
            Id = EmptyRunId,
            ExperimentId = ExperimentId,
            Model = "mlp",
            Seed = 0,
            Status = RunStatus.Cancelled,
            TotalEpochs = 3,
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 2,
        });
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(cancellation);
    }

    // Playwright fills the properties of a parameterless class from the evaluated object.
    private sealed class ScrollCueState
    {
        public string MoreStart { get; set; } = "";

        public string MoreEnd { get; set; } = "";

        public double StartOpacity { get; set; }

        public double EndOpacity { get; set; }

        public double ScrollWidth { get; set; }

        public double ClientWidth { get; set; }

        public double FrameWidth { get; set; }

        public double FrameRight { get; set; }

        public double EndRight { get; set; }
    }
}
