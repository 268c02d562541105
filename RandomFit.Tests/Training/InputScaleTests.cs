using RandomFit.Training.Specs;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

/// <summary>
/// Input scale decides whether a wide MLP fits random labels: all-positive uniform [0, 1) inputs stall it at chance
/// with Adam at 1e-3, while the same data standardized per channel is memorized.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class InputScaleTests(ITestOutputHelper output)
{
    // Smaller than the measured case (2,000 samples of 3x32x32, MLP 3072-512-512-10, 12 epochs) only in epochs:
    // with 500 samples or 3x16x16 inputs the raw run climbs off chance within four epochs.
    [Fact]
    public void Train_WideMlpOnRawUniform_StaysNearChanceUntilStandardized()
    {
        var spec = Spec(
            Mlp(512, 512),
            channels: 3,
            side: 32,
            train: 2000,
            classes: 10,
            inputs: InputKind.Uniform,
            epochs: 2,
            batchSize: 32);
        var standardized = spec with { Data = spec.Data! with { Standardize = true } };

        var raw = Train(spec, "mlp", seed: 1);
        var centred = Train(standardized, "mlp", seed: 1);

        output.WriteLine(string.Join(", ", raw.Epochs.Select(e => $"{e.TrainAccuracy:F3}/{e.TrainLoss:F3}")));
        output.WriteLine(string.Join(", ", centred.Epochs.Select(e => $"{e.TrainAccuracy:F3}/{e.TrainLoss:F3}")));
        Assert.All(raw.Epochs, e => Assert.InRange(e.TrainAccuracy, 0.0, 0.2));
        Assert.True(raw.Epochs[^1].TrainLoss > 2.2, $"raw loss ended at {raw.Epochs[^1].TrainLoss:F3}; ln 10 is 2.303");
        Assert.True(centred.Epochs[^1].TrainAccuracy >= 0.95, $"standardized reached {centred.Epochs[^1].TrainAccuracy:F3}");
    }
}
