using System.Globalization;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class EpochMetricsTests
{
    [Theory]
    [InlineData(1.3216542053222655, 1.3216542)]
    [InlineData(2.302585092994046, 2.3025851)]
    [InlineData(0.5, 0.5)]
    [InlineData(1e-300, 1e-300)]
    [InlineData(1e300, 1e300)]
    public void Loss_CutsToFloatPrecision(double value, double expected)
    {
        Assert.Equal(expected, EpochMetrics.Loss(value));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Loss_NotFinite_IsNull(double value)
    {
        Assert.Null(EpochMetrics.Loss(value));
    }

    [Fact]
    public void Train_LossesHaveFloatDigits()
    {
        var spec = Spec(Mlp(16), side: 4, train: 40, test: 24, epochs: 3, batchSize: 16);

        var separate = Train(spec, "mlp", seed: 4);
        var stacked = TrainStacked(spec, "mlp", [4, 5]);

        var losses = separate.Epochs.Concat(stacked.SelectMany(progress => progress.Epochs))
            .SelectMany(epoch => new[] { epoch.TrainLoss!.Value, epoch.TestLoss!.Value })
            .ToList();
        Assert.Equal(18, losses.Count);
        Assert.All(losses, loss => Assert.Equal(ShortestFloatText(loss), loss.ToString("R", CultureInfo.InvariantCulture)));
    }

    private static string ShortestFloatText(double value) => ((float)value).ToString(CultureInfo.InvariantCulture);
}
