using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Browser;

/// <summary>The experiment grid of the zhang-randomization preset, whose 14 columns do not fit a 1440 px page.</summary>
[Collection(TorchCollection.Name)]
public sealed class WideGridBrowserTests
{
    private const string ExperimentId = "wide-grid";

    // The 14 columns were squeezed to about 70 px, so "train 100.0%" and "100% at epoch 22" wrapped word by word.
    // Each line of a cell now stays on one line, the grid scrolls sideways, and the seed column stays in view.
    [Fact]
    public async Task Grid_FourteenColumns_ScrollsWithWholeLines()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        var columns = await StoreExperimentAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, $"/experiments/{ExperimentId}").ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=grid-cell] [data-testid=cell-fit]");
        await page.WaitForFunctionAsync("() => document.querySelector('.rf-grid-wrap')?.clientWidth > 0");
        // One call takes every figure from the same render. It counts the rows each text line of a cell takes,
        // compares the grid's width with its frame's, and finds the seed cell after scrolling to the grid's end.
        var layout = await page.Locator(".rf-grid-wrap").EvaluateAsync<JsonElement>("""
            wrap => {
                const rows = [...wrap.querySelectorAll('[data-testid=grid-cell] .rf-grid-link > div')].map(line => {
                    const range = document.createRange();
                    range.selectNodeContents(line);
                    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
                });
                const scrollWidth = wrap.scrollWidth;
                const clientWidth = wrap.clientWidth;
                wrap.scrollLeft = scrollWidth;
                const seed = wrap.querySelector("tbody tr[data-seed='0'] th");
                const seedLeft = seed.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
                return { rows, scrollWidth, clientWidth, seedLeft };
            }
            """);
        var rows = layout.GetProperty("rows").EnumerateArray().Select(row => row.GetInt32()).ToList();
        var scrollWidth = layout.GetProperty("scrollWidth").GetDouble();
        var clientWidth = layout.GetProperty("clientWidth").GetDouble();
        var seedLeft = layout.GetProperty("seedLeft").GetDouble();

        Assert.Equal(14, columns);
        Assert.Equal(14 * 4, rows.Count);
        Assert.All(rows, count => Assert.Equal(1, count));
        Assert.True(scrollWidth > clientWidth, $"The grid is {scrollWidth} px wide in a {clientWidth} px frame, so it does not scroll.");
        Assert.True(Math.Abs(seedLeft) <= 1, $"Scrolled to the right, the seed column starts {seedLeft:0.0} px from the frame's left edge.");
    }

    // The preset's spec with one completed run of seed 0 in every column, each fitted at epoch 22 of 30.
    private static async Task<int> StoreExperimentAsync(BrowserHost host)
    {
        var spec = Presets.Find("zhang-randomization")!.Spec with { Seeds = [0] };
        var factory = host.Services.GetRequiredService<IDbContextFactory<RandomFitDbContext>>();
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await factory.CreateDbContextAsync(cancellation);
        var experiment = new ExperimentEntity
        {
            Id = ExperimentId,
            Name = "wide grid",
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        };
        var sequence = 0;
        foreach (var model in spec.Models!)
        {
            foreach (var condition in spec.Data!.Conditions!)
            {
                sequence++;
                var run = new RunEntity
                {
                    Id = $"wide-{sequence}",
                    ExperimentId = ExperimentId,
                    Model = model.Name!,
                    Condition = condition.Name,
                    Seed = 0,
                    Status = RunStatus.Completed,
                    TotalEpochs = 30,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Sequence = sequence,
                };
                for (var epoch = 1; epoch <= 30; epoch++)
                {
                    run.Epochs.Add(new EpochEntity
                    {
                        RunId = run.Id,
                        Epoch = epoch,
                        TrainLoss = 2.3 / epoch,
                        TrainAccuracy = Math.Min(1, epoch / 22.0),
                        TestLoss = 2.3,
                        TestAccuracy = 0.1,
                        Seconds = 0.5,
                        ElapsedSeconds = 0.5 * epoch,
                    });
                }

                experiment.Runs.Add(run);
            }
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(cancellation);
        return sequence;
    }
}
