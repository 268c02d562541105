using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class StackedCheckpointTests : IDisposable
{
    private const int EveryEpochs = 3;
    private static readonly int[] CohortSeeds = [1, 2, 3];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "randomfit-tests", $"stacked-{Guid.NewGuid():N}");

    public static TheoryData<string> Variants => ["adam-mlp", "sgd-momentum-mlp", "adam-cnn"];

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void TrainStacked_ResumedFromCheckpoints_MatchesUninterruptedCohort(string variant)
    {
        var (spec, model) = SpecFor(variant);
        var uninterrupted = TrainCohort(spec, model, CohortSeeds, resume: false);

        // The interrupted cohort goes one epoch past its checkpoint at 3, as a crash would.
        var interrupted = TrainUntilCancelled(spec, model, CohortSeeds, cancelAfterEpoch: 4);
        var resumed = TrainCohort(spec, model, CohortSeeds, resume: true);

        for (var k = 0; k < CohortSeeds.Length; k++)
        {
            Assert.Equal(4, interrupted[k].Epochs.Count);
            Assert.Equal([4, 5, 6], resumed[k].Epochs.Select(e => e.Epoch));
            Assert.Equal(WithoutTimings(uninterrupted[k].Epochs.Skip(3)), WithoutTimings(resumed[k].Epochs));
        }
    }

    [Fact]
    public void TrainStacked_ResumedInSmallerCohort_MatchesWithinTolerance()
    {
        var (spec, model) = SpecFor("adam-mlp");
        var uninterrupted = TrainCohort(spec, model, CohortSeeds, resume: false);
        TrainUntilCancelled(spec, model, CohortSeeds, cancelAfterEpoch: 4);

        // Seeds 3 and 1 resume together, in another order, without seed 2.
        var resumed = TrainCohort(spec, model, [3, 1], resume: true);

        foreach (var (seed, index) in new[] { (3, 0), (1, 1) })
        {
            var expected = uninterrupted[Array.IndexOf(CohortSeeds, seed)].Epochs.Skip(3).ToList();
            AssertCloseEpochs(seed, expected, resumed[index].Epochs);
        }
    }

    [Fact]
    public void TrainStacked_WithCheckpointPlans_WritesStackedFilePerSeed()
    {
        var (spec, model) = SpecFor("adam-mlp");

        var progress = TrainUntilCancelled(spec, model, CohortSeeds, cancelAfterEpoch: 5);

        foreach (var seed in CohortSeeds)
        {
            var header = RunCheckpoint.TryReadHeader(PathFor(seed));
            Assert.NotNull(header);
            Assert.Equal(3, header.Epoch);
            Assert.True(header.Stacked);
            Assert.Equal(progress[Array.IndexOf(CohortSeeds, seed)].Epochs[2].ElapsedSeconds, header.ElapsedSeconds);
            Assert.False(File.Exists(PathFor(seed) + ".tmp"));
        }

        // Writing the checkpoint after epoch 3 leaves no tensor behind.
        Assert.Equal(progress[0].LiveTensors[1], progress[0].LiveTensors[^1]);
    }

    [Fact]
    public void TrainStacked_ResumedCohort_ContinuesEachSeedsElapsedSeconds()
    {
        var (spec, model) = SpecFor("adam-mlp");
        var interrupted = TrainUntilCancelled(spec, model, CohortSeeds, cancelAfterEpoch: 3);

        var resumed = TrainCohort(spec, model, CohortSeeds, resume: true);

        for (var k = 0; k < CohortSeeds.Length; k++)
        {
            Assert.True(resumed[k].Epochs[0].ElapsedSeconds > interrupted[k].Epochs[2].ElapsedSeconds);
        }
    }

    [Fact]
    public void Train_SeparateRunFromStackedCheckpoint_FailsNamingStacked()
    {
        var (spec, model) = SpecFor("adam-mlp");
        TrainUntilCancelled(spec, model, [4], cancelAfterEpoch: 3);
        var separate = spec with { Training = spec.Training! with { Execution = ExecutionMode.Separate } };
        var request = new RunRequest(separate, model, null, 4)
        {
            Checkpoint = new CheckpointPlan(PathFor(4), EveryEpochs, Resume: true),
        };

        var exception = Assert.Throws<InvalidDataException>(
            () => CreateTrainer().Train(request, new RecordingProgress(), CancellationToken.None));

        Assert.Contains("was written by a stacked cohort, so it cannot resume a separate run", exception.Message);
    }

    [Fact]
    public void TrainStacked_FromSeparateCheckpoint_FailsNamingSeparate()
    {
        var (spec, model) = SpecFor("adam-mlp");
        var separate = spec with { Training = spec.Training! with { Execution = ExecutionMode.Separate } };
        using (var cancellation = new CancellationTokenSource())
        {
            var request = new RunRequest(separate, model, null, 4)
            {
                Checkpoint = new CheckpointPlan(PathFor(4), EveryEpochs, Resume: false),
            };
            var progress = new RecordingProgress(metrics =>
            {
                if (metrics.Epoch == 3)
                {
                    cancellation.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => CreateTrainer().Train(request, progress, cancellation.Token));
        }

        var exception = Assert.Throws<InvalidDataException>(() => TrainCohort(spec, model, [4], resume: true));

        Assert.Equal(
            "The checkpoint seed-4.ckpt was written by a separate run, so it cannot resume a run of a stacked cohort.",
            exception.Message);
    }

    [Fact]
    public void TrainStacked_OnlySomeRunsHaveCheckpoints_Fails()
    {
        var (spec, model) = SpecFor("adam-mlp");
        TrainUntilCancelled(spec, model, [1], cancelAfterEpoch: 3);
        var requests = new[]
        {
            new RunRequest(spec, model, null, 1) { Checkpoint = new CheckpointPlan(PathFor(1), EveryEpochs, Resume: true) },
            new RunRequest(spec, model, null, 2) { Checkpoint = new CheckpointPlan(PathFor(2), EveryEpochs, Resume: false) },
        };

        var exception = Assert.Throws<TrainingFailedException>(() => CreateTrainer().TrainStacked(
            requests,
            [new RecordingProgress(), new RecordingProgress()],
            CancellationToken.None));

        Assert.Equal("Only 1 of the 2 runs of the stacked cohort have a checkpoint to resume from.", exception.Message);
    }

    [Fact]
    public void TrainStacked_CheckpointsOfDifferentEpochs_Fails()
    {
        var (spec, model) = SpecFor("adam-mlp");
        spec = spec with { Training = spec.Training! with { Epochs = 9 } };
        TrainUntilCancelled(spec, model, [1], cancelAfterEpoch: 4);
        TrainUntilCancelled(spec, model, [2], cancelAfterEpoch: 7);

        var exception = Assert.Throws<TrainingFailedException>(() => TrainCohort(spec, model, [1, 2], resume: true));

        Assert.Equal("The checkpoint seed-2.ckpt is from epoch 6, but the cohort resumes after epoch 3.", exception.Message);
    }

    // Each lane loads its own seeds' files into its own stacked model, so a cohort interrupted as one model resumes in
    // lanes: seeds 1 and 2 in one, seed 3 in the other.
    [Fact]
    public void TrainStacked_ResumedInLanes_StaysClose()
    {
        var (spec, model) = SpecFor("adam-mlp");
        var uninterrupted = TrainCohort(spec, model, CohortSeeds, resume: false);
        TrainUntilCancelled(spec, model, CohortSeeds, cancelAfterEpoch: 4);

        var resumed = TrainCohort(spec, model, CohortSeeds, resume: true, lanes: 2);

        for (var k = 0; k < CohortSeeds.Length; k++)
        {
            Assert.Equal([4, 5, 6], resumed[k].Epochs.Select(e => e.Epoch));
            AssertCloseEpochs(CohortSeeds[k], uninterrupted[k].Epochs.Skip(3).ToList(), resumed[k].Epochs);
        }
    }

    // A run's error is shown to everyone who can view it, so it names the checkpoint file without the server's folders.
    [Fact]
    public void TrainStacked_MissingCheckpoint_NamesFileOnly()
    {
        var (spec, model) = SpecFor("adam-mlp");
        TrainUntilCancelled(spec, model, [1], cancelAfterEpoch: 4);
        File.Delete(PathFor(1));

        var exception = Assert.Throws<TrainingFailedException>(() => TrainCohort(spec, model, [1], resume: true));

        Assert.Equal("The checkpoint to resume from, seed-1.ckpt, does not exist.", exception.Message);
    }

    // A resumed seed has the uninterrupted seed's epochs and accuracies, and its losses within 1e-5 relative.
    private static void AssertCloseEpochs(int seed, IReadOnlyList<EpochMetrics> expected, IReadOnlyList<EpochMetrics> actual)
    {
        Assert.Equal(expected.Select(e => e.Epoch), actual.Select(e => e.Epoch));
        Assert.Equal(expected.Select(e => e.TrainAccuracy), actual.Select(e => e.TrainAccuracy));
        for (var e = 0; e < expected.Count; e++)
        {
            var tolerance = 1e-5 * Math.Abs(expected[e].TrainLoss!.Value);
            Assert.True(
                Math.Abs(expected[e].TrainLoss!.Value - actual[e].TrainLoss!.Value) <= tolerance,
                $"Seed {seed}, epoch {expected[e].Epoch}: loss {actual[e].TrainLoss:R} differs from {expected[e].TrainLoss:R}.");
        }
    }

    private string PathFor(int seed) => Path.Combine(_folder, $"seed-{seed}.ckpt");

    private List<RecordingProgress> TrainCohort(ExperimentSpec spec, string model, int[] seeds, bool resume, int? lanes = null)
    {
        var progress = seeds.Select(_ => new RecordingProgress()).ToList();
        var requests = seeds
            .Select(seed => new RunRequest(spec, model, null, seed)
            {
                Checkpoint = resume ? new CheckpointPlan(PathFor(seed), EveryEpochs, Resume: true) : null,
            })
            .ToList();
        var outcomes = CreateTrainer().TrainStacked(requests, progress, CancellationToken.None, lanes);
        Assert.All(outcomes, outcome => Assert.Null(outcome.Failure));
        return progress;
    }

    private List<RecordingProgress> TrainUntilCancelled(ExperimentSpec spec, string model, int[] seeds, int cancelAfterEpoch)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = seeds
            .Select(_ => new RecordingProgress(metrics =>
            {
                if (metrics.Epoch == cancelAfterEpoch)
                {
                    cancellation.Cancel();
                }
            }))
            .ToList();
        var requests = seeds
            .Select(seed => new RunRequest(spec, model, null, seed)
            {
                Checkpoint = new CheckpointPlan(PathFor(seed), EveryEpochs, Resume: false),
            })
            .ToList();

        Assert.ThrowsAny<OperationCanceledException>(
            () => CreateTrainer().TrainStacked(requests, progress, cancellation.Token));
        return progress;
    }

    private static (ExperimentSpec Spec, string Model) SpecFor(string variant)
    {
        var (spec, model) = variant switch
        {
            "sgd-momentum-mlp" => (SgdWithMomentum(), "mlp"),
            "adam-cnn" => (Spec(SmallCnn(), side: 4, train: 24, test: 8, epochs: 6, batchSize: 8), "cnn"),
            _ => (Spec(Mlp(16), side: 4, train: 40, test: 8, epochs: 6, batchSize: 8), "mlp"),
        };
        return (spec with { Training = spec.Training! with { Execution = ExecutionMode.Stacked } }, model);
    }

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
