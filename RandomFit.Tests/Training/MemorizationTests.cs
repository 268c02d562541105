using System.Diagnostics;
using RandomFit.Training.Specs;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

/// <summary>Random labels are memorized on the training set while held-out accuracy stays at chance.</summary>
[Collection(TorchCollection.Name)]
public sealed class MemorizationTests(ITestOutputHelper output)
{
    [Fact]
    public void Train_SmallMlp_Memorizes32Samples()
    {
        var spec = Spec(Mlp(64), channels: 1, side: 8, train: 32, classes: 10, epochs: 60, batchSize: 8);

        var progress = Train(spec, "mlp", seed: 0);

        Assert.NotNull(progress.FirstFitEpoch);
        Assert.Equal(1.0, progress.Epochs[^1].TrainAccuracy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Train_MlpOnOneFullBatch_FitsWithin30Steps(int seed)
    {
        var spec = Spec(Mlp(256), train: 64, epochs: 300, batchSize: 64);

        var progress = Train(spec, "mlp", seed);

        Assert.InRange(progress.FirstFitEpoch ?? int.MaxValue, 1, 30);
        Assert.True(progress.Epochs[^1].TrainLoss < 0.01, $"loss at step 300 was {progress.Epochs[^1].TrainLoss}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Train_CnnOnOneFullBatch_FitsWithin150Steps(int seed)
    {
        var spec = Spec(SmallCnn(), train: 64, epochs: 300, batchSize: 64);

        var progress = Train(spec, "cnn", seed);

        Assert.Equal(6378, progress.ParameterCount);
        Assert.InRange(progress.FirstFitEpoch ?? int.MaxValue, 1, 150);
        Assert.True(progress.Epochs[^1].TrainLoss < 0.01, $"loss at step 300 was {progress.Epochs[^1].TrainLoss}");
    }

    [Theory]
    [InlineData("mlp", 1)]
    [InlineData("mlp", 2)]
    [InlineData("mlp", 3)]
    [InlineData("cnn", 1)]
    [InlineData("cnn", 2)]
    [InlineData("cnn", 3)]
    public void Train_TwoSamples_FitWithin5Steps(string model, int seed)
    {
        var spec = Spec(model == "mlp" ? Mlp(256) : SmallCnn(), train: 2, epochs: 5, batchSize: 2);

        var progress = Train(spec, model, seed);

        Assert.InRange(progress.FirstFitEpoch ?? int.MaxValue, 1, 5);
    }

    [Fact]
    public void Train_TwoLayerMlp_FitsBy20Epochs()
    {
        var spec = Spec(Mlp(256, 256), train: 512, epochs: 20, batchSize: 64);

        var progress = Train(spec, "mlp", seed: 1);

        Assert.Equal(117_770, progress.ParameterCount);
        Assert.Equal(1.0, progress.Epochs[^1].TrainAccuracy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_MlpOnRandomLabels_MemorizesWhileTestStaysAtChance(int seed)
    {
        var spec = Spec(Mlp(256), train: 1024, test: 1024, epochs: 30, batchSize: 64);
        var clock = Stopwatch.StartNew();

        var progress = Train(spec, "mlp", seed);

        output.WriteLine($"30 epochs of 1,024 + 1,024 samples took {clock.Elapsed.TotalSeconds:F2} s");
        var last = progress.Epochs[^1];
        Assert.Equal(51_978, progress.ParameterCount);
        Assert.True(last.TrainAccuracy >= 0.99, $"train accuracy at epoch 30 was {last.TrainAccuracy}");
        Assert.InRange(last.TestAccuracy ?? -1, 0.07, 0.13);
        Assert.True(last.TestLoss > Math.Log(10), $"test loss at epoch 30 was {last.TestLoss}");
    }
}
