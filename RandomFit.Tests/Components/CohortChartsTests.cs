using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Components.Pages.Experiments;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

/// <summary>The per-model charts of the experiment page, read from the Plotly components they render.</summary>
public sealed class CohortChartsTests : ComponentTestBase
{
    private IRenderedComponent<ExperimentPage> RenderExperiment(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/experiments/e1{query}");
        return Render<ExperimentPage>(parameters => parameters.Add(page => page.Id, "e1"));
    }

    // Charts are numbered in column order: cnn is cohort-chart-0 and mlp cohort-chart-1.
    private static PlotlyChart Chart(IRenderedComponent<ExperimentPage> page, int index) =>
        page.FindComponents<PlotlyChart>().Single(chart => chart.Instance.Id == $"cohort-chart-{index}").Instance;

    private static List<Scatter> Traces(IRenderedComponent<ExperimentPage> page, int index) =>
        [.. Chart(page, index).Data.OfType<Scatter>()];

    private static object? LineColor(Scatter trace) => trace.Line?.Color;

    private void StoreThreeSeeds() => Store(Experiments, Runs, "e1", Spec(),
        Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6)),
        Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.8)),
        Run("cnn-2", "e1", "cnn", 2, Epoch(1, 0.7), Epoch(2, 0.9)),
        Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.9)),
        Run("mlp-2", "e1", "mlp", 2, Epoch(1, 1.0)));

    [Fact]
    public void Ungrouped_EachSeed_OwnColourAndLegendEntry()
    {
        StoreThreeSeeds();

        var page = RenderExperiment("?group=none");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var cnn = Traces(page, 0);
        var mlp = Traces(page, 1);

        Assert.Equal(["seed 0", "seed 1", "seed 2"], cnn.Select(trace => trace.Name));
        Assert.Equal(3, cnn.Select(LineColor).OfType<string>().Distinct().Count());
        Assert.All(cnn, trace => Assert.True(trace.ShowLegend, $"{trace.Name} has no legend entry."));
        Assert.True(Chart(page, 0).Layout.ShowLegend);
        // Seed 2 keeps its colour in the chart that lacks seed 1.
        Assert.Equal(LineColor(cnn[2]), LineColor(mlp.Single(trace => trace.Name == "seed 2")));
    }

    [Fact]
    public void LossView_ZeroLoss_NamedBelowItsChart()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 1.0) with { TrainLoss = 0 }),
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.8)),
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.9)));

        var page = RenderExperiment("?metric=trainLoss");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var notes = page.FindAll("[data-testid=zero-loss-note]");

        var note = Assert.Single(notes);
        Assert.Equal("A logarithmic axis cannot draw a loss of 0, so the chart leaves out seed 0 at epoch 2.", note.TextContent);
        Assert.Equal("cnn", note.Closest("[data-column]")?.GetAttribute("data-column"));
    }

    [Fact]
    public void LossView_Grouped_NotesGeometricBand()
    {
        StoreThreeSeeds();

        var page = RenderExperiment("?metric=trainLoss");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var note = page.Find("[data-testid=band-note]");

        Assert.Equal(
            "The bold line is the geometric mean of the seeds' losses, and the band spans it divided and multiplied by "
            + "their geometric standard deviation (the exponential of the standard deviation of the losses' natural "
            + "logarithms), so it stays above 0 on the logarithmic axis. An epoch where a seed's loss is 0 has neither.",
            note.TextContent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?metric=trainLoss&group=none")]
    public void ArithmeticOrUngrouped_NoBandNote(string query)
    {
        StoreThreeSeeds();

        var page = RenderExperiment(query);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));

        Assert.Empty(page.FindAll("[data-testid=band-note]"));
    }

    [Fact]
    public void AccuracyView_ZeroLoss_NoNote()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 1.0) with { TrainLoss = 0 }));

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Single(page.FindComponents<PlotlyChart>()));

        Assert.Empty(page.FindAll("[data-testid=zero-loss-note]"));
    }

    [Fact]
    public void Ungrouped_Rerun_SharesSeedLegendEntry()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("cnn-0-rerun", "e1", "cnn", 0, Epoch(1, 0.6)));

        var page = RenderExperiment("?group=none");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var cnn = Traces(page, 0);

        Assert.Equal(new bool?[] { true, false }, cnn.Select(trace => trace.ShowLegend));
        Assert.Equal(LineColor(cnn[0]), LineColor(cnn[1]));
        Assert.Equal(["seed 0", "seed 0"], cnn.Select(trace => trace.LegendGroup));
    }

    [Fact]
    public void Grouped_OneSeedWithData_DrawsMeanLine()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6)) with { Status = RunStatus.Running },
            Run("cnn-1", "e1", "cnn", 1) with { Status = RunStatus.Queued });

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var cnn = Traces(page, 0);
        var mean = cnn.Single(trace => trace.Name == "mean");

        Assert.Equal([1.0, 2.0], mean.X!.Select(value => (double)value));
        Assert.Equal([0.5, 0.6], mean.Y!.Select(value => (double)value));
        Assert.DoesNotContain(cnn, trace => trace.Name is "mean − std" or "mean + std");
    }

    [Fact]
    public void Grouped_SeedsAtDifferentEpochs()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6), Epoch(3, 0.4)) with { Status = RunStatus.Running },
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.7)) with { Status = RunStatus.Running },
            Run("cnn-2", "e1", "cnn", 2, Epoch(1, 0.7), Epoch(2, 0.8), Epoch(3, 0.5)) with { Status = RunStatus.Running });

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var cnn = Traces(page, 0);

        Assert.Equal([1.0, 2.0], cnn.Single(trace => trace.Name == "mean").X!.Select(value => (double)value));
        Assert.Equal([1.0, 2.0], cnn.Single(trace => trace.Name == "mean + std").X!.Select(value => (double)value));
    }

    [Fact]
    public void Grouped_Rerun_CountsSeedOnce()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.4), Epoch(2, 0.4)),
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.6)),
            Run("cnn-1-rerun", "e1", "cnn", 1, Epoch(1, 0.9)) with { Status = RunStatus.Running },
            Run("cnn-0-rerun", "e1", "cnn", 0, Epoch(1, 0.1)) with { Status = RunStatus.Cancelled });

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var cnn = Traces(page, 0);
        var mean = cnn.Single(trace => trace.Name == "mean");

        // Seed 1 counts through its rerun, seed 0 through its completed run, as their grid cells do.
        Assert.Equal(4, cnn.Count(trace => trace.Name is not ("mean" or "mean − std" or "mean + std")));
        Assert.Equal([1.0], mean.X!.Select(value => (double)value));
        Assert.Equal(0.65, (double)mean.Y!.Single()!, 9);
    }

    [Fact]
    public void Grouped_RunFailedEarly_MeanGoesOn()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)) with { Status = RunStatus.Failed },
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.7), Epoch(3, 0.8)),
            Run("cnn-2", "e1", "cnn", 2, Epoch(1, 0.7), Epoch(2, 0.9), Epoch(3, 1.0)));

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<PlotlyChart>()));
        var cnn = Traces(page, 0);

        Assert.Equal([1.0, 2.0, 3.0], cnn.Single(trace => trace.Name == "mean").X!.Select(value => (double)value));
    }

    [Fact]
    public void ModelWithoutEpochs_ShowsTextInsteadOfPlot()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("mlp-0", "e1", "mlp", 0) with { Status = RunStatus.Queued });

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Single(page.FindComponents<PlotlyChart>()));
        var mlp = page.Find("[data-testid=cohort-chart][data-column=mlp]");

        Assert.Equal("no epochs yet", mlp.QuerySelector("[data-testid=chart-empty]")!.TextContent);
        Assert.Equal("cohort-chart-0", page.FindComponent<PlotlyChart>().Instance.Id);
    }

    [Fact]
    public void ModelWithoutEpochs_PlaceholderIsCompact()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("mlp-0", "e1", "mlp", 0) with { Status = RunStatus.Queued });

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Single(page.FindComponents<PlotlyChart>()));
        var cnn = page.Find("[data-testid=cohort-chart][data-column=cnn]");
        var mlp = page.Find("[data-testid=cohort-chart][data-column=mlp]");

        // rf-chart reserves a chart's height, rf-chart-empty only the text's.
        Assert.Contains("rf-chart", cnn.ClassList);
        Assert.DoesNotContain("rf-chart", mlp.ClassList);
        Assert.Contains("rf-chart-empty", mlp.ClassList);
    }

    [Fact]
    public void MetricWithoutValues_NamesTheMetric()
    {
        Store(Experiments, Runs, "e1", Spec(testSamples: 0), Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5, test: null)));

        var page = RenderExperiment("?metric=testAccuracy");
        page.WaitForAssertion(() => page.Find("[data-testid=cohort-chart][data-column=cnn] [data-testid=chart-empty]"));

        Assert.Equal(
            "no test accuracy values",
            page.Find("[data-testid=cohort-chart][data-column=cnn] [data-testid=chart-empty]").TextContent);
    }

    [Fact]
    public void AccuracyAxis_FixedFromZeroToOne()
    {
        StoreThreeSeeds();

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var axis = Chart(page, 0).Layout.YAxis[0];

        Assert.Equal([0.0, 1.02], axis.Range.Select(value => Convert.ToDouble(value, CultureInfo.InvariantCulture)));
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.False, axis.AutoRange);
    }

    [Theory]
    [InlineData("?metric=trainLoss")]
    [InlineData("?metric=testLoss")]
    public void LossAxis_LabelsMinorTicksInFull(string query)
    {
        StoreThreeSeeds();

        var page = RenderExperiment(query);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var axis = Chart(page, 0).Layout.YAxis[0];

        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, axis.Type);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.MinorLogLabelsEnum.Complete, axis.MinorLogLabels);
    }

    // A chart created afresh for each update is blank until Plotly draws it again and loses the reader's zoom.
    [Fact]
    public void LiveEpoch_RedrawsSameChart()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5)) with { Status = RunStatus.Running },
            Run("mlp-0", "e1", "mlp", 0, Epoch(1, 0.9)));
        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var before = Chart(page, 0);

        Feed.Publish(new EpochEvent("cnn-0", "e1", Epoch(2, 0.6)));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(2, Traces(page, 0).First(trace => trace.Name == "seed 0").X!.Count));
        Assert.Same(before, Chart(page, 0));
        // Plotly keeps a reader's zoom across react calls only while uirevision stays set and unchanged.
        Assert.Equal("cohort", Chart(page, 0).Layout.UiRevision);
        page.WaitForAssertion(() => Assert.Contains(
            JSInterop.Invocations, invocation => invocation.Identifier.EndsWith("react", StringComparison.Ordinal)));
    }

    // Plotly's default tick format writes 0.0005 as "500μ" next to decimal labels such as 0.001 on the same axis.
    [Fact]
    public void LossAxis_WritesSmallTicksAsDecimals()
    {
        StoreThreeSeeds();

        var page = RenderExperiment("?metric=trainLoss");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var axis = Chart(page, 0).Layout.YAxis[0];

        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.ExponentFormatEnum.None, axis.ExponentFormat);
    }

    [Theory]
    [InlineData("?metric=trainAccuracy", "Train accuracy", "Epoch")]
    [InlineData("?metric=testAccuracy", "Test accuracy", "Epoch")]
    [InlineData("?metric=trainLoss&x=seconds", "Train loss", "Seconds")]
    [InlineData("?metric=testLoss", "Test loss", "Epoch")]
    public void AxisTitles_AreReadable(string query, string expectedY, string expectedX)
    {
        StoreThreeSeeds();

        var page = RenderExperiment(query);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var layout = Chart(page, 0).Layout;

        Assert.Equal(expectedX, layout.XAxis[0].Title.Text);
        Assert.Equal(expectedY, layout.YAxis[0].Title.Text);
    }

    [Fact]
    public void Title_SitsBelowModeBar()
    {
        StoreThreeSeeds();

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var layout = Chart(page, 0).Layout;

        // Plotly draws the mode bar in about the top 30 px of the chart. A title anchored to the top of the plot area,
        // with a top margin that has room for both rows, stays clear of it.
        Assert.Equal("cnn", layout.Title.Text);
        Assert.Equal(Plotly.Blazor.LayoutLib.TitleLib.YRefEnum.Paper, layout.Title.YRef);
        Assert.Equal(1m, layout.Title.Y);
        Assert.Equal(Plotly.Blazor.LayoutLib.TitleLib.YAnchorEnum.Bottom, layout.Title.YAnchor);
        Assert.True(layout.Margin.T >= 60, $"Top margin {layout.Margin.T} px leaves no row for the mode bar above the title.");
    }

    [Fact]
    public void EpochAxis_EarlyEpochs_WholeNumberTicks()
    {
        StoreThreeSeeds();

        var page = RenderExperiment();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var axis = Chart(page, 0).Layout.XAxis[0];

        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Linear, axis.TickMode);
        Assert.Equal(1.0, Convert.ToDouble(axis.DTick, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SecondsAxis_KeepsAutomaticTicks()
    {
        StoreThreeSeeds();

        var page = RenderExperiment("?x=seconds");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<PlotlyChart>().Count));
        var axis = Chart(page, 0).Layout.XAxis[0];

        Assert.Null(axis.DTick);
        Assert.Null(axis.TickMode);
    }
}
