using RandomFit.Training.Training;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Components.Shared;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

public sealed class CohortCurvesTests
{
    [Theory]
    [InlineData("trainLoss", "seconds", "0.5", "none", "trainLoss", "seconds", 0.5, "none")]
    [InlineData("bogus", "minutes", "2", "odd", "trainAccuracy", "epoch", 0.0, "seed-cohort")]
    [InlineData(null, null, null, null, "trainAccuracy", "epoch", 0.0, "seed-cohort")]
    public void Parse_QueryValues_KeepsValidOnes(
        string? metric, string? x, string? smooth, string? group,
        string expectedMetric, string expectedX, double expectedSmooth, string expectedGroup)
    {
        var view = CurveView.Parse(metric, x, smooth, group);

        Assert.Equal(expectedMetric, view.Metric);
        Assert.Equal(expectedX, view.X);
        Assert.Equal(expectedSmooth, view.Smooth);
        Assert.Equal(expectedGroup, view.Group);
    }

    [Fact]
    public void ToUri_View_RoundTripsThroughParse()
    {
        var view = new CurveView("testLoss", "seconds", 0.9, "none");

        var uri = view.ToUri("/compare", new Dictionary<string, string?> { ["runs"] = "a,b" });

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://host" + uri).Query);
        var parsed = CurveView.Parse(query["metric"], query["x"], query["smooth"], query["group"]);

        Assert.Equal("/compare?runs=a,b&metric=testLoss&x=seconds&smooth=0.9&group=none", uri);
        Assert.Equal(view, parsed);
    }

    [Theory]
    [InlineData("0.555")]
    [InlineData("0.005")]
    [InlineData("0.125")]
    public void ToUri_SmoothWithThreeDecimals_KeepsValue(string smooth)
    {
        var view = CurveView.Parse(null, null, smooth, null);

        var uri = view.ToUri("/experiments/e1");
        var changed = view.ChangedFromDefault();

        Assert.Contains($"smooth={smooth}", uri);
        Assert.Equal(smooth, changed["smooth"]);
    }

    [Fact]
    public void ToUri_SteppedSmooth_WritesShortValue()
    {
        var view = CurveView.Default with { Smooth = 0.1 + 0.2 };

        var uri = view.ToUri("/experiments/e1");

        Assert.Contains("smooth=0.3&", uri);
    }

    [Fact]
    public void Build_TwoSeeds_AddsMeanAndStdBand()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5), Epoch(2, 0.7)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.7), Epoch(2, 0.9)], false),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default);
        var mean = lines.Single(line => line.Role == CurveRole.Mean);
        var high = lines.Single(line => line.Role == CurveRole.BandHigh);

        Assert.Equal(2, lines.Count(line => line.Role == CurveRole.Run));
        Assert.Equal([1.0, 2.0], mean.Points.Select(p => p.X));
        Assert.Equal(0.6, mean.Points[0].Y, 1e-12);
        Assert.Equal(0.8, mean.Points[1].Y, 1e-12);
        Assert.Equal(0.6 + Math.Sqrt(0.02), high.Points[0].Y, 1e-12);
    }

    // The arithmetic mean of 0.01 and 1 less one standard deviation is 0.505 - 0.7 < 0, which a logarithmic axis
    // cannot draw. In logarithms the losses are -2 and 0 decades, so the geometric mean is 10^-1 and the geometric
    // standard deviation 10^(2 / sqrt 2): the sample standard deviation of two values is their distance / sqrt 2.
    [Fact]
    public void Build_LossView_GeometricMeanAndBand()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Loss(1, 0.01), Loss(2, 0.2)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Loss(1, 1.0), Loss(2, 0.05)], false),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default with { Metric = "trainLoss" });
        var mean = lines.Single(line => line.Role == CurveRole.Mean);
        var low = lines.Single(line => line.Role == CurveRole.BandLow);
        var high = lines.Single(line => line.Role == CurveRole.BandHigh);

        Assert.Equal("geometric mean", mean.Name);
        Assert.Equal("÷ geometric std", low.Name);
        Assert.Equal("× geometric std", high.Name);
        Assert.Equal([1.0, 2.0], mean.Points.Select(p => p.X));
        Assert.Equal(0.1, mean.Points[0].Y, 1e-12);
        Assert.Equal(0.1, mean.Points[1].Y, 1e-12);
        Assert.Equal(Math.Pow(10, -1 - Math.Sqrt(2)), low.Points[0].Y, 1e-12);
        Assert.Equal(Math.Pow(10, -1 + Math.Sqrt(2)), high.Points[0].Y, 1e-12);
        Assert.Equal(0.1 / Math.Pow(4, 1 / Math.Sqrt(2)), low.Points[1].Y, 1e-12);
        Assert.Equal(0.1 * Math.Pow(4, 1 / Math.Sqrt(2)), high.Points[1].Y, 1e-12);
    }

    // A loss of exactly 0 has no logarithm, so the geometric mean and band leave out its epoch, where a logarithmic axis
    // could not draw them either.
    [Fact]
    public void Build_LossViewZeroLoss_EpochLeftOut()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Loss(1, 0.5), Loss(2, 0), Loss(3, 0.02)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Loss(1, 0.5), Loss(2, 0.1), Loss(3, 0.08)], false),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default with { Metric = "trainLoss" });
        var mean = lines.Single(line => line.Role == CurveRole.Mean);
        var low = lines.Single(line => line.Role == CurveRole.BandLow);
        var high = lines.Single(line => line.Role == CurveRole.BandHigh);

        Assert.Equal([1.0, 3.0], mean.Points.Select(p => p.X));
        Assert.Equal(0.5, mean.Points[0].Y, 1e-12);
        Assert.Equal(0.04, mean.Points[1].Y, 1e-12);
        Assert.Equal([1.0, 3.0], low.Points.Select(p => p.X));
        Assert.Equal([1.0, 3.0], high.Points.Select(p => p.X));
        Assert.Equal(0.5, low.Points[0].Y, 1e-12);
        Assert.Equal(0.5, high.Points[0].Y, 1e-12);
        Assert.Equal(0.04 / Math.Pow(4, 1 / Math.Sqrt(2)), low.Points[1].Y, 1e-12);
    }

    [Fact]
    public void Build_TrainingSeedBehind()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5), Epoch(2, 0.6), Epoch(3, 0.4)], true),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.6), Epoch(2, 0.7)], true),
            ("seed 2", "r2", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.7), Epoch(2, 0.8), Epoch(3, 0.5)], true),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default);
        var mean = lines.Single(line => line.Role == CurveRole.Mean);
        var low = lines.Single(line => line.Role == CurveRole.BandLow);
        var high = lines.Single(line => line.Role == CurveRole.BandHigh);

        Assert.Equal([1.0, 2.0], mean.Points.Select(p => p.X));
        Assert.Equal(0.7, mean.Points[1].Y, 1e-12);
        Assert.Equal([1.0, 2.0], low.Points.Select(p => p.X));
        Assert.Equal([1.0, 2.0], high.Points.Select(p => p.X));
    }

    [Fact]
    public void Build_EndedRunsShorter_MeanGoesOn()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.6), Epoch(2, 0.7), Epoch(3, 0.8)], true),
            ("seed 2", "r2", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.7), Epoch(2, 0.9)], false),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default);
        var mean = lines.Single(line => line.Role == CurveRole.Mean);
        var high = lines.Single(line => line.Role == CurveRole.BandHigh);

        Assert.Equal([1.0, 2.0, 3.0], mean.Points.Select(p => p.X));
        Assert.Equal(0.8, mean.Points[1].Y, 1e-12);
        Assert.Equal(0.8, mean.Points[2].Y, 1e-12);
        // The last epoch has one value, so it has no standard deviation and no band.
        Assert.Equal([1.0, 2.0], high.Points.Select(p => p.X));
    }

    [Fact]
    public void Build_TrainingRunWithoutEpochs_SetsNoLimit()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5), Epoch(2, 0.7)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.7), Epoch(2, 0.9)], false),
            ("seed 2", "r2", (IReadOnlyList<EpochMetrics>)[], true),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default);
        var mean = lines.Single(line => line.Role == CurveRole.Mean);

        Assert.Equal([1.0, 2.0], mean.Points.Select(p => p.X));
    }

    [Fact]
    public void Build_Smoothing_AppliesMovingAverage()
    {
        var runs = new[] { ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.0), Epoch(2, 1.0)], false) };

        var lines = CohortCurves.Build(runs, CurveView.Default with { Smooth = 0.5 });

        Assert.Equal([0.0, 0.5], lines.Single(line => line.Role == CurveRole.Run).Points.Select(p => p.Y));
    }

    [Fact]
    public void Build_OneSeedWithData_AddsMeanWithoutBand()
    {
        var runs = new[]
        {
            ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5), Epoch(2, 0.7)], false),
            ("seed 1", "r1", (IReadOnlyList<EpochMetrics>)[], false),
        };

        var lines = CohortCurves.Build(runs, CurveView.Default);
        var mean = lines.Single(line => line.Role == CurveRole.Mean);

        Assert.Equal([(1.0, 0.5), (2.0, 0.7)], mean.Points);
        Assert.DoesNotContain(lines, line => line.Role is CurveRole.BandLow or CurveRole.BandHigh);
    }

    [Fact]
    public void Build_NoData_AddsNoMean()
    {
        var runs = new[] { ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[], false) };

        var lines = CohortCurves.Build(runs, CurveView.Default);

        Assert.Equal([CurveRole.Run], lines.Select(line => line.Role));
    }

    [Fact]
    public void Build_Ungrouped_AddsNoMean()
    {
        var runs = new[] { ("seed 0", "r0", (IReadOnlyList<EpochMetrics>)[Epoch(1, 0.5)], false) };

        var lines = CohortCurves.Build(runs, CurveView.Default with { Group = "none" });

        Assert.Equal([CurveRole.Run], lines.Select(line => line.Role));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    [InlineData(20, 5)]
    [InlineData(40, 5)]
    [InlineData(100, 20)]
    [InlineData(100_000, 20_000)]
    public void EpochTickStep_MaxEpoch_WholeStepWithFewTicks(double maxEpoch, double expected)
    {
        Assert.Equal(expected, CurveAxes.EpochTickStep(maxEpoch));
    }

    [Fact]
    public void LossTickValues_TwoDecades_OneTwoFive()
    {
        var ticks = CurveAxes.LossTickValues(0.026, 1.6);

        Assert.Equal([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50], ticks);
    }

    [Fact]
    public void LossTickValues_HalfDecade_AddsThreeAndSeven()
    {
        var ticks = CurveAxes.LossTickValues(0.3, 1.1);

        Assert.Equal([0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70], ticks);
    }

    [Fact]
    public void LossTickValues_TenDecades_EveryDecade()
    {
        var ticks = CurveAxes.LossTickValues(1e-10, 1);

        Assert.Equal([1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1], ticks);
    }

    [Fact]
    public void LossTickValues_TwentyDecades_EverySecondDecade()
    {
        var ticks = CurveAxes.LossTickValues(1e-20, 1);

        Assert.Equal([1e-20, 1e-18, 1e-16, 1e-14, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 0.01, 1], ticks);
    }

    [Theory]
    [InlineData(0.69, 0.72)]
    [InlineData(0.5, 0.5)]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    public void LossTickValues_NarrowOrNonPositive_LeftToPlotly(double min, double max)
    {
        Assert.Null(CurveAxes.LossTickValues(min, max));
    }

    [Fact]
    public void ZeroEpochs_ExactZeroLoss_ListsEpochs()
    {
        EpochMetrics[] epochs = [Loss(1, 0.5), Loss(2, 0), Loss(3, 1e-7), Loss(4, 0), Loss(5, 0), Loss(6, null)];

        var zeros = CohortCurves.ZeroEpochs(epochs, CurveView.Default with { Metric = "trainLoss" });

        Assert.Equal([2, 4, 5], zeros);
    }

    [Fact]
    public void ZeroEpochs_Smoothed_ListsOnlyDrawnZeros()
    {
        EpochMetrics[] epochs = [Loss(1, 0), Loss(2, 0), Loss(3, 0.5), Loss(4, 0)];

        var zeros = CohortCurves.ZeroEpochs(epochs, CurveView.Default with { Metric = "trainLoss", Smooth = 0.5 });

        Assert.Equal([1, 2], zeros);
    }

    [Fact]
    public void ZeroLossNote_NoZeros_IsNull()
    {
        Assert.Null(CurveAxes.ZeroLossNote([("train loss", []), ("test loss", [])]));
    }

    [Fact]
    public void ZeroLossNote_Ranges_NamesEachLine()
    {
        var note = CurveAxes.ZeroLossNote([("train loss", [4, 5, 1802, 1803, 1804]), ("test loss", []), ("seed 1", [7])]);

        Assert.Equal(
            "A logarithmic axis cannot draw a loss of 0, so the chart leaves out train loss at epochs 4-5 and "
                + "1,802-1,804; seed 1 at epoch 7.",
            note);
    }

    [Fact]
    public void ZeroLossNote_ManyRanges_CountsTheRest()
    {
        var note = CurveAxes.ZeroLossNote([("train loss", [1, 3, 5, 7, 9, 11, 12, 15])]);

        Assert.Equal(
            "A logarithmic axis cannot draw a loss of 0, so the chart leaves out train loss at epochs 1, 3, 5, 7, 9 "
                + "and 3 more epochs.",
            note);
    }

    private static EpochMetrics Loss(int epoch, double? trainLoss) => new(epoch, trainLoss, 1, 2.3, 0.1, 0.01, epoch * 0.01);
}
