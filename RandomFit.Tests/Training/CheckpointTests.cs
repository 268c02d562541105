using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "randomfit-tests", $"{Guid.NewGuid():N}.ckpt");

    public void Dispose() => RunCheckpoint.Delete(_path);

    public static TheoryData<string> Variants => ["adam", "sgd-momentum", "dropout", "batchnorm-cnn"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Train_ResumedFromCheckpoint_MatchesUninterruptedEpochs(string variant)
    {
        var (spec, model) = SpecFor(variant);
        var uninterrupted = Train(spec, model, seed: 4);

        // The interrupted run goes one epoch past its checkpoint at 3, as a crash would.
        var interrupted = TrainUntilCancelled(spec, model, cancelAfterEpoch: 4);
        var resumed = new RecordingProgress();
        var request = new RunRequest(spec, model, null, 4) { Checkpoint = new CheckpointPlan(_path, 3, Resume: true) };
        CreateTrainer().Train(request, resumed, CancellationToken.None);

        Assert.Equal(4, interrupted.Epochs.Count);
        Assert.Equal([4, 5, 6], resumed.Epochs.Select(e => e.Epoch));
        Assert.Equal(WithoutTimings(uninterrupted.Epochs.Skip(3)), WithoutTimings(resumed.Epochs));
    }

    [Fact]
    public void Train_WithCheckpointPlan_WritesCheckpointAtMultiples()
    {
        var (spec, model) = SpecFor("adam");

        var progress = TrainUntilCancelled(spec, model, cancelAfterEpoch: 5);

        Assert.Equal(3, RunCheckpoint.TryReadEpoch(_path));
        Assert.False(File.Exists(_path + ".tmp"));
        Assert.Equal(5, progress.Epochs.Count);
    }

    [Fact]
    public void Train_ResumedFromCheckpoint_ContinuesElapsedSeconds()
    {
        var (spec, model) = SpecFor("adam");
        var interrupted = TrainUntilCancelled(spec, model, cancelAfterEpoch: 3);
        var resumed = new RecordingProgress();
        var request = new RunRequest(spec, model, null, 4) { Checkpoint = new CheckpointPlan(_path, 3, Resume: true) };

        CreateTrainer().Train(request, resumed, CancellationToken.None);

        Assert.True(resumed.Epochs[0].ElapsedSeconds > interrupted.Epochs[2].ElapsedSeconds);
    }

    // A run's error is shown to everyone who can view it, so it names the checkpoint file without the server's folders.
    [Fact]
    public void Train_ResumeWithoutCheckpointFile_NamesFileOnly()
    {
        var (spec, model) = SpecFor("adam");
        var request = new RunRequest(spec, model, null, 4) { Checkpoint = new CheckpointPlan(_path, 3, Resume: true) };

        var exception = Assert.Throws<TrainingFailedException>(
            () => CreateTrainer().Train(request, new RecordingProgress(), CancellationToken.None));

        Assert.Equal($"The checkpoint to resume from, {Path.GetFileName(_path)}, does not exist.", exception.Message);
    }

    [Fact]
    public void TryReadEpoch_NotACheckpoint_ReturnsNull()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.WriteAllText(_path, "not a checkpoint");

        Assert.Null(RunCheckpoint.TryReadEpoch(_path));
        Assert.Null(RunCheckpoint.TryReadEpoch(_path + ".missing"));
    }

    private RecordingProgress TrainUntilCancelled(ExperimentSpec spec, string model, int cancelAfterEpoch)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(metrics =>
        {
            if (metrics.Epoch == cancelAfterEpoch)
            {
                cancellation.Cancel();
            }
        });
        var request = new RunRequest(spec, model, null, 4) { Checkpoint = new CheckpointPlan(_path, 3, Resume: false) };

        Assert.ThrowsAny<OperationCanceledException>(() => CreateTrainer().Train(request, progress, cancellation.Token));
        return progress;
    }

    private static (ExperimentSpec Spec, string Model) SpecFor(string variant) => variant switch
    {
        "sgd-momentum" => (SgdWithMomentum(), "mlp"),
        "dropout" => (Spec(Mlp(16) with { Dropout = 0.5 }, side: 4, train: 40, test: 8, epochs: 6, batchSize: 8), "mlp"),
        "batchnorm-cnn" => (
            Spec(SmallCnn() with { BatchNorm = true }, side: 4, train: 24, test: 8, epochs: 6, batchSize: 8),
            "cnn"),
        _ => (Spec(Mlp(16), side: 4, train: 40, test: 8, epochs: 6, batchSize: 8), "mlp"),
    };

    private static ExperimentSpec SgdWithMomentum()
    {
        var spec = Spec(
            Mlp(16),
            side: 4,
            train: 40,
            test: 8,
            epochs: 6,
            batchSize: 8,
            optimizer: OptimizerKind.Sgd,
            learningRate: 0.05);
        return spec with { Training = spec.Training! with { Momentum = 0.9, Nesterov = true } };
    }
}
