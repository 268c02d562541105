using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    private static readonly ExperimentSpec SmallMlpSpec = Spec(Mlp(32), side: 4, train: 48, test: 16, epochs: 4, batchSize: 16);

    [Fact]
    public void Train_TinyModel_ReportsEveryEpoch()
    {
        var spec = Spec(Mlp(4), channels: 1, side: 2, train: 4, classes: 2, epochs: 2, batchSize: 2);

        var progress = Train(spec, "mlp", seed: 0);

        Assert.Equal("cpu", progress.Device);
        Assert.Equal(4 * 4 + 4 + 4 + 1, progress.ParameterCount);
        Assert.Equal([1, 2], progress.Epochs.Select(e => e.Epoch));
        Assert.All(progress.Epochs, e => Assert.True(e.TrainLoss > 0));
    }

    [Fact]
    public void Train_SameSeed_ProducesIdenticalEpochs()
    {
        var first = Train(SmallMlpSpec, "mlp", seed: 3);
        var second = Train(SmallMlpSpec, "mlp", seed: 3);

        Assert.Equal(4, first.Epochs.Count);
        Assert.Equal(WithoutTimings(first.Epochs), WithoutTimings(second.Epochs));
    }

    [Fact]
    public void Train_SameSeedConcurrently_ProducesIdenticalEpochs()
    {
        var alone = Train(SmallMlpSpec, "mlp", seed: 5);

        var concurrent = RunConcurrently(() => Train(SmallMlpSpec, "mlp", seed: 5), () => Train(SmallMlpSpec, "mlp", seed: 5));

        Assert.Equal(WithoutTimings(alone.Epochs), WithoutTimings(concurrent[0].Epochs));
        Assert.Equal(WithoutTimings(alone.Epochs), WithoutTimings(concurrent[1].Epochs));
    }

    [Fact]
    public void Train_DifferentSeeds_ProduceDifferentEpochs()
    {
        var first = Train(SmallMlpSpec, "mlp", seed: 1);
        var second = Train(SmallMlpSpec, "mlp", seed: 2);

        Assert.NotEqual(first.Epochs[^1].TrainLoss, second.Epochs[^1].TrainLoss);
        Assert.NotEqual(first.Epochs[^1].TestLoss, second.Epochs[^1].TestLoss);
    }

    [Fact]
    public void Train_DropoutConcurrently_ProducesIdenticalEpochs()
    {
        var spec = SmallMlpSpec with { Models = [Mlp(32) with { Dropout = 0.5 }] };
        var alone = Train(spec, "mlp", seed: 7);

        var concurrent = RunConcurrently(() => Train(spec, "mlp", seed: 7), () => Train(spec, "mlp", seed: 7));

        Assert.Equal(WithoutTimings(alone.Epochs), WithoutTimings(concurrent[0].Epochs));
        Assert.Equal(WithoutTimings(alone.Epochs), WithoutTimings(concurrent[1].Epochs));
    }

    [Fact]
    public void Train_ManyEpochs_KeepsLiveTensorCountFlat()
    {
        var spec = Spec(Mlp(256), train: 256, epochs: 40, batchSize: 256);

        var progress = Train(spec, "mlp", seed: 1);

        Assert.Equal(40, progress.LiveTensors.Count);
        Assert.Equal(progress.LiveTensors[1], progress.LiveTensors[^1]);
    }

    [Fact]
    public void Train_TwoRunsAtOnce_MatchEachAlone()
    {
        var specA = Spec(Mlp(256), train: 256, epochs: 10, batchSize: 256);
        var specB = Spec(SmallCnn(), train: 128, test: 32, epochs: 10, batchSize: 32);
        var aloneA = Train(specA, "mlp", seed: 1);
        var aloneB = Train(specB, "cnn", seed: 2);

        var concurrent = RunConcurrently(() => Train(specA, "mlp", seed: 1), () => Train(specB, "cnn", seed: 2));

        Assert.Equal(WithoutTimings(aloneA.Epochs), WithoutTimings(concurrent[0].Epochs));
        Assert.Equal(WithoutTimings(aloneB.Epochs), WithoutTimings(concurrent[1].Epochs));
        Assert.Equal(concurrent[0].LiveTensors[1], concurrent[0].LiveTensors[^1]);
    }

    [Fact]
    public void Train_CancelledDuringRun_StopsWithinOneEpoch()
    {
        var spec = Spec(Mlp(16), side: 4, train: 64, epochs: 50, batchSize: 8);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(metrics =>
        {
            if (metrics.Epoch == 2)
            {
                cancellation.Cancel();
            }
        });

        var run = () => CreateTrainer().Train(new RunRequest(spec, "mlp", null, 0), progress, cancellation.Token);

        Assert.ThrowsAny<OperationCanceledException>(run);
        Assert.Equal(2, progress.Epochs.Count);
    }

    [Fact]
    public void Train_DivergingLoss_FailsWithEpochNumber()
    {
        var spec = Spec(
            Mlp(256, 256, 256),
            train: 64,
            test: 16,
            epochs: 50,
            batchSize: 16,
            optimizer: OptimizerKind.Sgd,
            learningRate: 10);
        var progress = new RecordingProgress();

        var exception = Assert.Throws<TrainingFailedException>(
            () => CreateTrainer().Train(new RunRequest(spec, "mlp", null, 0), progress, CancellationToken.None));

        var last = progress.Epochs[^1];
        Assert.Equal($"Loss became NaN at epoch {last.Epoch}.", exception.Message);
        Assert.Null(last.TrainLoss);
        Assert.All(progress.Epochs.SkipLast(1), e => Assert.NotNull(e.TrainLoss));
    }

    [Fact]
    public void Train_Epochs_ReportIncreasingElapsedSeconds()
    {
        var progress = Train(SmallMlpSpec, "mlp", seed: 0);

        var elapsed = progress.Epochs.Select(e => e.ElapsedSeconds).ToList();
        Assert.Equal(elapsed.Order(), elapsed);
        Assert.All(progress.Epochs, e => Assert.True(e.Seconds > 0 && e.Seconds <= e.ElapsedSeconds));
    }

    private static RecordingProgress[] RunConcurrently(Func<RecordingProgress> first, Func<RecordingProgress> second)
    {
        using var start = new Barrier(2);
        var results = new RecordingProgress?[2];
        var errors = new Exception?[2];
        var threads = new[] { first, second }.Select((run, index) => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                results[index] = run();
            }
            catch (Exception exception)
            {
                errors[index] = exception;
            }
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(errors, Assert.Null);
        return [results[0]!, results[1]!];
    }
}
