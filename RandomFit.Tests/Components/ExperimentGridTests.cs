using System.Diagnostics;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments;
using RandomFit.Web.Scheduling;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

public sealed class ExperimentGridTests : ComponentTestBase
{
    private void StoreFourRuns() => Store(Experiments, Runs, "e1", Spec(),
        Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5, 0.5), Epoch(2, 0.6, 0.45)),
        Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.8, 0.5), Epoch(2, 1.0, 0.55)),
        Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.5, 0.5)),
        Run("mlp-1", "e1", "mlp", 1, Epoch(1, 1.0, 0.4), Epoch(2, 1.0, 0.5)));

    private IRenderedComponent<ExperimentPage> RenderExperiment(string id) =>
        Render<ExperimentPage>(parameters => parameters.Add(page => page.Id, id));

    private static AngleSharp.Dom.IElement Cell(IRenderedComponent<ExperimentPage> page, string runId) =>
        page.Find($"[data-testid=grid-cell][data-run={runId}]");

    [Fact]
    public void Grid_StoredRuns_ShowsCellPerSeedAndModel()
    {
        StoreFourRuns();

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=grid-cell]").Count));
        var mlp = Cell(page, "mlp-0");
        var cnn = Cell(page, "cnn-0");

        Assert.Equal(["Seed", "cnn", "mlp"], page.FindAll("[data-testid=experiment-grid] thead th").Select(h => h.TextContent));
        Assert.Equal("train 100.0%", mlp.QuerySelector("[data-testid=cell-train]")!.TextContent);
        Assert.Equal("test 55.0%", mlp.QuerySelector("[data-testid=cell-test]")!.TextContent);
        Assert.Equal("gap +45.0\u00A0pp", mlp.QuerySelector("[data-testid=cell-gap]")!.TextContent);
        Assert.Equal("100% at epoch 2", mlp.QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("never 100%", cnn.QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("/runs/mlp-0", mlp.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void ExperimentPage_LongUnspacedName_TitleWrapsAnywhere()
    {
        var longName = new string('x', 200);
        Store(Experiments, Runs, "e1", Spec() with { Name = longName }, Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=experiment-title]"));
        var title = page.Find("[data-testid=experiment-title]");

        Assert.Equal(longName, title.TextContent.Trim());
        Assert.Contains("rf-wrap-anywhere", title.ClassList);
    }

    [Fact]
    public void ExperimentPage_InvalidViewParameters_NamesEach()
    {
        StoreFourRuns();
        Services.GetRequiredService<NavigationManager>()
            .NavigateTo("/experiments/e1?metric=bogus&x=bogus&smooth=2&group=model");

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored metric 'bogus': use one of trainAccuracy, testAccuracy, trainLoss, testLoss.",
                "Ignored x 'bogus': use one of epoch, seconds.",
                "Ignored smooth '2': use a number from 0 to 0.99.",
                "Ignored group 'model': use one of seed-cohort, none.",
            ],
            lines);
        Assert.Equal("trainAccuracy", page.Find("[data-testid=selected-metric]").TextContent);
        Assert.True(
            page.Markup.IndexOf("data-testid=\"query-notice\"", StringComparison.Ordinal)
                < page.Markup.IndexOf("data-testid=\"experiment-grid\"", StringComparison.Ordinal),
            "The query notice is below the grid, where a large experiment hides it.");
    }

    [Fact]
    public void ExperimentPage_LongViewParameters_ShortenedInNotice()
    {
        StoreFourRuns();
        var longValue = new string('v', 100);
        Services.GetRequiredService<NavigationManager>()
            .NavigateTo($"/experiments/e1?metric={longValue}&group={longValue}&group=none");

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        var shown = $"'{longValue[..64]}…' (100 characters)";
        Assert.Equal(
            [
                $"Ignored group {shown}, 'none': use one group value, not 2.",
                $"Ignored metric {shown}: use one of trainAccuracy, testAccuracy, trainLoss, testLoss.",
            ],
            lines);
    }

    [Fact]
    public void ExperimentPage_RepeatedViewParameters_NamesAndDropsThem()
    {
        StoreFourRuns();
        Services.GetRequiredService<NavigationManager>()
            .NavigateTo("/experiments/e1?metric=trainLoss&metric=bogus&x=seconds&x=epoch&smooth=0.5");

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored metric 'trainLoss', 'bogus': use one metric value, not 2.",
                "Ignored x 'seconds', 'epoch': use one x value, not 2.",
            ],
            lines);
        Assert.Equal("trainAccuracy", page.Find("[data-testid=selected-metric]").TextContent);
    }

    // The run page's Highlight names metrics in words, so the experiment page's pickers do too, not by query value.
    [Fact]
    public void ViewPickers_ShowReadableNames()
    {
        StoreFourRuns();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments/e1?metric=testLoss&x=seconds");

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=metric-picker]"));

        Assert.Equal("Test loss", PickerText(page, "metric-picker"));
        Assert.Equal("Seconds", PickerText(page, "x-picker"));
        Assert.Equal("testLoss", page.Find("[data-testid=selected-metric]").TextContent);
        Assert.Equal("seconds", page.Find("[data-testid=selected-x]").TextContent);
    }

    // MudSelect shows the selected value in an input when it has a ToStringFunc, and as the text of a div otherwise.
    private static string PickerText(IRenderedComponent<ExperimentPage> page, string testId)
    {
        var picker = page.Find($"[data-testid={testId}]");
        return picker.TagName == "INPUT" ? picker.GetAttribute("value") ?? "" : picker.TextContent.Trim();
    }

    [Fact]
    public void Grid_SummaryRow_ShowsMeanStdAndInterval()
    {
        StoreFourRuns();

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary-cell]")));
        var trainRow = page.FindAll("[data-testid=summary-row]")[0];
        var cells = trainRow.QuerySelectorAll("[data-testid=summary-cell]").Select(c => c.TextContent).ToList();

        // cnn finals 0.6 and 0.5: mean 0.55, std 0.0707, t(0.975, 1) = 12.706 gives 0.55 ± 0.6353.
        Assert.Equal("n 2 · 55.0% ± 7.1% · CI [0.0%, 100.0%]", cells[0]);
        Assert.Equal("n 2 · 100.0% ± 0.0% · CI [100.0%, 100.0%]", cells[1]);
        Assert.Equal(2, page.FindAll("[data-testid=summary-row]").Count);
    }

    [Fact]
    public void Grid_TrainAccuracyJustBelowOne_NotShownAsHundred()
    {
        // 3,999 of 4,000 samples right: one decimal would round it up to 100.0% beside "never 100%".
        Store(Experiments, Runs, "e1", Spec(),
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.9, 0.1), Epoch(2, 0.99975, 0.1)),
            Run("mlp-1", "e1", "mlp", 1, Epoch(1, 1.0, 0.1)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary-cell]")));
        var cell = Cell(page, "mlp-0");
        var trainMean = page.FindAll("[data-testid=summary-row]")[0].QuerySelector("[data-testid=summary-cell][data-column=mlp]")!;

        Assert.Equal("train 99.9%", cell.QuerySelector("[data-testid=cell-train]")!.TextContent);
        Assert.Equal("never 100%", cell.QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.StartsWith("n 2 · 99.9% ± ", trainMean.TextContent);
    }

    [Fact]
    public void Grid_LabelConditions_ShowsSlowdownRow()
    {
        var spec = Spec() with
        {
            Data = Spec().Data! with
            {
                Conditions =
                [
                    new DataCondition { Name = "true", Labels = LabelKind.True },
                    new DataCondition { Name = "random", Labels = LabelKind.Random },
                ],
            },
        };
        Store(Experiments, Runs, "e2", spec,
            Run("cnn-true-0", "e2", "cnn", 0, Epoch(1, 0.8), Epoch(2, 1.0)) with { Condition = "true" },
            Run("cnn-random-0", "e2", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6), Epoch(3, 0.8), Epoch(4, 0.9), Epoch(5, 1.0))
                with { Condition = "random" },
            Run("mlp-true-0", "e2", "mlp", 0, Epoch(1, 1.0)) with { Condition = "true" },
            Run("mlp-random-0", "e2", "mlp", 0, Epoch(1, 0.5)) with { Condition = "random" });

        var page = RenderExperiment("e2");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=slowdown-cell]")));
        var cells = page.FindAll("[data-testid=slowdown-cell]")
            .ToDictionary(c => c.GetAttribute("data-column")!, c => c.TextContent);

        // cnn fits random labels at epoch 5 and true labels at epoch 2; the mlp never fits random labels.
        Assert.Equal("2.5×", cells["cnn · random"]);
        Assert.Equal("–", cells["cnn · true"]);
        Assert.Equal("–", cells["mlp · random"]);
    }

    [Fact]
    public void GridLegend_SampleConditions_LabelsEachScale()
    {
        var spec = Presets.Find("capacity-sweep")!.Spec;
        Store(Experiments, Runs, "e3", spec, Run("mlp-16-n-100-0", "e3", "mlp-16", 0, Epoch(1, 0.5)) with { Condition = "n-100" });

        var page = RenderExperiment("e3");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=legend-scale]")));
        var labels = page.FindAll("[data-testid=scale-conditions]").Select(label => label.TextContent).ToList();
        var scales = page.FindAll("[data-testid=legend-scale]").Select(scale => scale.TextContent).ToList();

        Assert.Equal(["condition n-100", "condition n-200", "condition n-400", "condition n-800"], labels);
        Assert.Equal(4, scales.Count);
        Assert.Equal(4, scales.Distinct().Count());
        Assert.All(scales, scale => Assert.Contains("chance 10.0%", scale));
    }

    [Fact]
    public void GridLegend_ConditionsSharingData_LabelledTogether()
    {
        var spec = Spec() with
        {
            Data = Spec().Data! with
            {
                Conditions =
                [
                    new DataCondition { Name = "true", Labels = LabelKind.True },
                    new DataCondition { Name = "random", Labels = LabelKind.Random },
                ],
            },
        };
        Store(Experiments, Runs, "e2", spec, Run("cnn-true-0", "e2", "cnn", 0, Epoch(1, 0.8)) with { Condition = "true" });

        var page = RenderExperiment("e2");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=legend-scale]")));

        Assert.Single(page.FindAll("[data-testid=legend-scale]"));
        Assert.Equal("conditions true, random", page.Find("[data-testid=scale-conditions]").TextContent);
    }

    [Fact]
    public void GridLegend_NoConditions_HasNoLabel()
    {
        StoreFourRuns();

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=legend-scale]")));

        Assert.Single(page.FindAll("[data-testid=legend-scale]"));
        Assert.Empty(page.FindAll("[data-testid=scale-conditions]"));
    }

    [Fact]
    public void Grid_NoConditions_HidesSlowdownRow()
    {
        StoreFourRuns();

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary-cell]")));

        Assert.Empty(page.FindAll("[data-testid=slowdown-row]"));
    }

    [Fact]
    public void Grid_UnfinishedRunsBelowFull_ShowNotYet()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5, 0.5)) with { Status = RunStatus.Running },
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.8, 0.5)) with { Status = RunStatus.Cancelled },
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.8, 0.5)) with { Status = RunStatus.Failed },
            Run("mlp-1", "e1", "mlp", 1, Epoch(1, 0.8, 0.5)) with { Status = RunStatus.Interrupted },
            Run("cnn-2", "e1", "cnn", 2, Epoch(1, 0.8, 0.5)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=grid-cell]").Count));

        Assert.Equal("not yet 100%", Cell(page, "cnn-0").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("not yet 100%", Cell(page, "mlp-0").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("not yet 100%", Cell(page, "cnn-1").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("not yet 100%", Cell(page, "mlp-1").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("never 100%", Cell(page, "cnn-2").QuerySelector("[data-testid=cell-fit]")!.TextContent);
    }

    [Fact]
    public void Grid_UnfinishedRuns_SayHowFarTheyGot()
    {
        var running = Enumerable.Range(1, 8).Select(epoch => Epoch(epoch, 1.0)).ToArray();
        var cancelled = Enumerable.Range(1, 5).Select(epoch => Epoch(epoch, 0.266, 0.13)).ToArray();
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, running) with { Status = RunStatus.Running, TotalEpochs = 20 },
            Run("mlp-0", "e1", "mlp", 0, cancelled) with { Status = RunStatus.Cancelled, TotalEpochs = 40 },
            Run("cnn-1", "e1", "cnn", 1) with { Status = RunStatus.Queued },
            Run("mlp-1", "e1", "mlp", 1, Epoch(1, 0.5), Epoch(2, 0.6)) with { Status = RunStatus.Failed },
            Run("cnn-2", "e1", "cnn", 2, Epoch(1, 0.5)) with { Status = RunStatus.Interrupted },
            Run("mlp-2", "e1", "mlp", 2) with { Status = RunStatus.Running },
            Run("cnn-3", "e1", "cnn", 3, Epoch(1, 0.5)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(7, page.FindAll("[data-testid=grid-cell]").Count));
        string? Status(string runId) => Cell(page, runId).QuerySelector("[data-testid=cell-status]")?.TextContent;

        Assert.Equal("running, epoch 8 of 20", Status("cnn-0"));
        Assert.Equal("cancelled at epoch 5 of 40", Status("mlp-0"));
        Assert.Equal("queued", Status("cnn-1"));
        Assert.Equal("failed at epoch 2 of 50", Status("mlp-1"));
        Assert.Equal("interrupted at epoch 1 of 50", Status("cnn-2"));
        Assert.Equal("running, no epoch of 50 yet", Status("mlp-2"));
        Assert.Null(Status("cnn-3"));
        Assert.Equal("100% at epoch 1", Cell(page, "cnn-0").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.Equal("running", Cell(page, "cnn-0").GetAttribute("data-status"));
        Assert.Contains("rf-grid-unfinished", Cell(page, "mlp-0").ClassList);
        Assert.DoesNotContain("rf-grid-unfinished", Cell(page, "cnn-3").ClassList);
    }

    [Fact]
    public void Grid_LongCancelledRun_EpochsHaveThousandsSeparators()
    {
        var epochs = Enumerable.Range(1, 1588).Select(epoch => Epoch(epoch, 0.5)).ToArray();
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, epochs) with { Status = RunStatus.Cancelled, TotalEpochs = 30000 });

        var page = RenderExperiment("e1");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=grid-cell]")));
        Assert.Equal("cancelled at epoch 1,588 of 30,000", Cell(page, "cnn-0").QuerySelector("[data-testid=cell-status]")?.TextContent);
        Assert.Equal("1,588/30,000", page.Find("tr[data-run=cnn-0] [data-testid=epochs-done]").TextContent);
    }

    [Fact]
    public void Grid_Heading_DoesNotClaimFinal()
    {
        StoreFourRuns();

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => page.Find("[data-testid=experiment-grid]"));

        Assert.DoesNotContain("Final accuracy", page.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("last stored epoch", page.Markup);
    }

    [Fact]
    public void Grid_SummaryRow_CountsRunsNotCompleted()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6)),
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.5)) with { Status = RunStatus.Running },
            Run("cnn-2", "e1", "cnn", 2) with { Status = RunStatus.Queued },
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.5)),
            Run("mlp-1", "e1", "mlp", 1, Epoch(1, 0.7)) with { Status = RunStatus.Cancelled },
            // A rerun that has stored an epoch and completed replaces the cancelled run of its seed in the summary.
            Run("mlp-1-rerun", "e1", "mlp", 1, Epoch(1, 0.7)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary-cell]")));
        var rows = page.FindAll("[data-testid=summary-row]");
        var train = rows[0].QuerySelectorAll("[data-testid=summary-cell]").Select(c => c.TextContent).ToList();
        var test = rows[1].QuerySelectorAll("[data-testid=summary-cell]").Select(c => c.TextContent).ToList();

        Assert.StartsWith("n 2, 1 not completed · 55.0%", train[0]);
        Assert.StartsWith("n 2 · 60.0%", train[1]);
        Assert.StartsWith("n 2, 1 not completed · ", test[0]);
    }

    [Fact]
    public void Grid_CancelledRerun_KeepsEarlierResult()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.9)),
            Run("cnn-0-rerun", "e1", "cnn", 0, Epoch(1, 0.3)) with { Status = RunStatus.Cancelled },
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.5)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary-cell]")));
        var train = page.FindAll("[data-testid=summary-row]")[0].QuerySelectorAll("[data-testid=summary-cell]");

        Assert.Equal("train 90.0%", Cell(page, "cnn-0").QuerySelector("[data-testid=cell-train]")!.TextContent);
        Assert.Empty(page.FindAll("[data-testid=grid-cell][data-run=cnn-0-rerun]"));
        Assert.StartsWith("n 1 · 90.0%", train[0].TextContent);
    }

    [Fact]
    public void Grid_LossAtChance_MarksCell()
    {
        // Two classes: ln 2 is the loss of predicting both equally.
        var stuck = Enumerable.Range(1, 6).Select(epoch => Epoch(epoch, 0.5) with { TrainLoss = Math.Log(2) }).ToArray();
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.6), Epoch(2, 0.9)),
            Run("mlp-0", "e1", "mlp", 0, stuck));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Cell(page, "mlp-0"));

        Assert.Equal("loss stuck at chance", Cell(page, "mlp-0").QuerySelector("[data-testid=cell-stuck]")!.TextContent.Trim());
        Assert.Null(Cell(page, "cnn-0").QuerySelector("[data-testid=cell-stuck]"));
    }

    [Fact]
    public void Grid_PublishedEpoch_UpdatesCellLive()
    {
        StoreFourRuns();
        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal("never 100%", Cell(page, "cnn-1").QuerySelector("[data-testid=cell-fit]")!.TextContent));

        Feed.Publish(new EpochEvent("cnn-1", "e1", Epoch(2, 1.0, 0.6)));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() =>
            Assert.Equal("train 100.0%", Cell(page, "cnn-1").QuerySelector("[data-testid=cell-train]")!.TextContent));
        Assert.Equal("100% at epoch 2", Cell(page, "cnn-1").QuerySelector("[data-testid=cell-fit]")!.TextContent);
        Assert.StartsWith("n 2 · 80.0%", page.FindAll("[data-testid=summary-cell]")[0].TextContent);
    }

    [Fact]
    public void Grid_WithoutTestSplit_ShowsNoTestOrGap()
    {
        Store(Experiments, Runs, "e1", Spec(testSamples: 0), Run("mlp-0", "e1", "mlp", 0, Epoch(1, 1.0, test: null)));

        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=grid-cell]")));

        Assert.Empty(page.FindAll("[data-testid=cell-test]"));
        Assert.Empty(page.FindAll("[data-testid=cell-gap]"));
        Assert.Single(page.FindAll("[data-testid=summary-row]"));
    }

    [Fact]
    public void Grid_SelectedRuns_CompareButtonOpensComparePage()
    {
        StoreFourRuns();
        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=select-run]").Count));

        page.FindAll("[data-testid=select-run]")[0].Change(true);
        page.FindAll("[data-testid=select-run]")[1].Change(true);
        page.Find("button[data-testid=compare-button]").Click();

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        Assert.EndsWith("/compare?runs=cnn-0,mlp-0", navigation.Uri);
    }

    [Fact]
    public void Grid_CompareButton_KeepsCurveView()
    {
        StoreFourRuns();
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/experiments/e1?metric=trainLoss&x=seconds&smooth=0.5&group=none");
        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=select-run]").Count));

        page.FindAll("[data-testid=select-run]")[0].Change(true);
        page.FindAll("[data-testid=select-run]")[1].Change(true);
        page.Find("button[data-testid=compare-button]").Click();

        // The compare page draws one line per run, so the grouping stays behind.
        Assert.EndsWith("/compare?runs=cnn-0,mlp-0&metric=trainLoss&x=seconds&smooth=0.5", navigation.Uri);
    }

    [Fact]
    public void Grid_TwoHundredRuns_RenderTimeIsPrinted()
    {
        var runs = new List<RandomFit.Web.Apis.RunDetails>();
        for (var seed = 0; seed < 100; seed++)
        {
            foreach (var model in new[] { "cnn", "mlp" })
            {
                var epochs = Enumerable.Range(1, 50).Select(e => Epoch(e, Math.Min(1.0, 0.5 + e * 0.01 * (seed % 7 + 1)))).ToArray();
                runs.Add(Run($"{model}-{seed}", "e1", model, seed, epochs));
            }
        }

        Store(Experiments, Runs, "e1", Spec(), [.. runs]);

        var clock = Stopwatch.StartNew();
        var page = RenderExperiment("e1");
        page.WaitForAssertion(() => Assert.Equal(200, page.FindAll("[data-testid=grid-cell]").Count), TimeSpan.FromSeconds(30));
        clock.Stop();

        Xunit.TestContext.Current.TestOutputHelper!.WriteLine(
            $"Experiment page with 200 runs x 50 epochs rendered in {clock.Elapsed.TotalMilliseconds:F0} ms (bUnit)");
        Assert.Equal(200, page.FindAll("[data-testid=grid-cell] a").Count);
    }
}
