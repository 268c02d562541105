using Microsoft.Extensions.Logging;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class StackedTrainerTests
{
    private static readonly int[] CohortSeeds = [1, 2, 3];

    [Fact]
    public void TrainStacked_MlpSeeds_MatchSeparateRuns()
    {
        // 100 samples in batches of 32 leave a short last batch.
        var spec = Spec(Mlp(32, 16), train: 100, test: 40, epochs: 4, batchSize: 32);

        AssertMatchesSeparate(spec, "mlp");
    }

    // Three seeds in two lanes: seeds 1 and 2 train as one stacked model, seed 3 as another, each on its own thread.
    [Fact]
    public void TrainStacked_MlpInTwoLanes_MatchesSeparate()
    {
        var spec = Spec(Mlp(32, 16), train: 100, test: 40, epochs: 4, batchSize: 32);

        AssertMatchesSeparate(spec, "mlp", lanes: 2);
    }

    // A rerun of one stacked seed trains in a lane of its own, so it repeats the metrics the seed had in its cohort.
    [Fact]
    public void TrainStacked_SeedAlone_RepeatsCohort()
    {
        var spec = Spec(Mlp(32, 16), train: 100, test: 40, epochs: 4, batchSize: 32);
        spec = spec with { Training = spec.Training! with { Execution = ExecutionMode.Stacked } };

        var cohort = TrainStacked(spec, "mlp", CohortSeeds, lanes: 2);
        var alone = TrainStacked(spec, "mlp", [CohortSeeds[1]], lanes: 1);

        Assert.Equal(WithoutTimings(cohort[1].Epochs), WithoutTimings(alone[0].Epochs));
    }

    // libtorch's grouped convolution rounds differently for two groups than for one, so a CNN seed's rerun alone
    // repeats its metrics from a lane of two only within float tolerance.
    [Fact]
    public void TrainStacked_CnnSeedAlone_RepeatsCohortWithinTolerance()
    {
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv = [new ConvSpec { Filters = 16, Kernel = 3, Padding = Padding.Valid }],
            Dense = [32],
        };
        var spec = Spec(model, channels: 1, side: 12, train: 128, test: 64, epochs: 4, batchSize: 16);
        spec = spec with { Training = spec.Training! with { Execution = ExecutionMode.Stacked } };

        var cohort = TrainStacked(spec, "cnn", CohortSeeds, lanes: 2);
        var alone = TrainStacked(spec, "cnn", [CohortSeeds[1]], lanes: 1);

        Assert.Equal(cohort[1].Epochs.Count, alone[0].Epochs.Count);
        for (var e = 0; e < alone[0].Epochs.Count; e++)
        {
            var (together, single) = (cohort[1].Epochs[e], alone[0].Epochs[e]);
            AssertClose(together.TrainLoss!.Value, single.TrainLoss!.Value);
            Assert.Equal(together.TrainAccuracy, single.TrainAccuracy);
            AssertClose(together.TestLoss!.Value, single.TestLoss!.Value);
            Assert.Equal(together.TestAccuracy, single.TestAccuracy);
        }
    }

    [Fact]
    public void TrainStacked_CnnInThreeLanes_MatchesSeparate()
    {
        var spec = Spec(SmallCnn(), side: 6, train: 24, test: 8, epochs: 3, batchSize: 8);

        AssertMatchesSeparate(spec, "cnn", lanes: 3);
    }

    [Fact]
    public void TrainStacked_ThreeClassesBatchOfOne()
    {
        // Batches of one sample and splits of 9 and 5 fill no whole vector of eight rows in the one-pass loss loops.
        var spec = Spec(Mlp(8), train: 9, test: 5, classes: 3, epochs: 3, batchSize: 1);

        AssertMatchesSeparate(spec, "mlp");
    }

    [Fact]
    public void TrainStacked_BinaryMlp()
    {
        var spec = Spec(Mlp(12), train: 40, test: 24, classes: 2, epochs: 5, batchSize: 16);

        AssertMatchesSeparate(spec, "mlp");
    }

    [Fact]
    public void TrainStacked_BinaryCnnSeeds_MatchSeparateRuns()
    {
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 4, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 6, Kernel = 2, Padding = Padding.Same, Pool = PoolKind.Avg, PoolSize = 2 },
                new ConvSpec { Filters = 5, Kernel = 2, Padding = Padding.Valid, Pool = PoolKind.None },
            ],
            Dense = [8],
        };
        var spec = Spec(model, train: 48, test: 16, classes: 2, epochs: 3, batchSize: 16);

        AssertMatchesSeparate(spec, "cnn");
    }

    [Fact]
    public void TrainStacked_OddMapsAndPoolThree_MatchSeparateRuns()
    {
        // 11x11 inputs: a valid 3x3 convolution leaves 9x9 and max pool 3 gives 3x3. A valid 2x2 convolution then
        // leaves 2x2 and max pool 2 gives 1x1. Those maps need no crop; pool 2 on 9x9, below, needs one.
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 4, Kernel = 3, Padding = Padding.Valid, Pool = PoolKind.Max, PoolSize = 3 },
                new ConvSpec { Filters = 3, Kernel = 2, Padding = Padding.Valid, Pool = PoolKind.Max, PoolSize = 2 },
            ],
            Dense = [],
        };
        var spec = Spec(model, channels: 2, side: 11, train: 40, test: 24, classes: 3, epochs: 3, batchSize: 16);
        AssertMatchesSeparate(spec, "cnn");

        var cropped = model with
        {
            Conv = [new ConvSpec { Filters = 4, Kernel = 3, Padding = Padding.Valid, Pool = PoolKind.Max, PoolSize = 2 }],
        };
        AssertMatchesSeparate(Spec(cropped, channels: 2, side: 11, train: 40, test: 24, classes: 3, epochs: 3, batchSize: 16), "cnn");
    }

    [Fact]
    public void TrainStacked_GlobalPoolSgdWithDecay_MatchSeparateRuns()
    {
        var model = SmallCnn() with { GlobalPool = true, WeightDecay = 0.01 };
        var spec = Spec(model, train: 40, epochs: 3, batchSize: 16, optimizer: OptimizerKind.Sgd, learningRate: 0.05);
        spec = spec with { Training = spec.Training! with { Momentum = 0.9 } };

        AssertMatchesSeparate(spec, "cnn");
    }

    [Fact]
    public void TrainStacked_MlpSgdWithDecay()
    {
        var model = Mlp(16, 8) with { WeightDecay = 0.01 };
        var spec = Spec(model, train: 40, test: 20, epochs: 3, batchSize: 16, optimizer: OptimizerKind.Sgd, learningRate: 0.05);
        spec = spec with { Training = spec.Training! with { Momentum = 0.9 } };

        AssertMatchesSeparate(spec, "mlp");
    }

    [Fact]
    public void TrainStacked_PinnedDataSeed_GivesSeedsOneDataset()
    {
        var spec = Spec(Mlp(16), train: 32, epochs: 1, batchSize: 32);
        spec = spec with { Training = spec.Training! with { DataSeed = 5, InitSeed = 9, OrderSeed = 9 } };

        var stacked = TrainStacked(spec, "mlp", CohortSeeds);

        // Every source pinned: the three seeds train the same run.
        Assert.All(stacked, progress => Assert.Equal(stacked[0].Epochs[0].TrainLoss, progress.Epochs[0].TrainLoss));
    }

    [Fact]
    public void TrainStacked_ManyEpochs_KeepsLiveTensorCountFlat()
    {
        var spec = Spec(SmallCnn(), side: 4, train: 64, epochs: 30, batchSize: 16);

        var stacked = TrainStacked(spec, "cnn", CohortSeeds);

        Assert.All(stacked, progress => Assert.Equal(30, progress.Epochs.Count));
        Assert.Equal(stacked[0].LiveTensors[1], stacked[0].LiveTensors[^1]);
    }

    [Fact]
    public void Train_ThreeRunsInARow_KeepLiveTensorCountFlat()
    {
        var spec = Spec(Mlp(64), train: 128, epochs: 10, batchSize: 32);

        var runs = CohortSeeds.Select(seed => Train(spec, "mlp", seed)).ToList();

        // Nothing of one run outlives it: each run starts and ends with the live count of the first.
        Assert.All(runs, run => Assert.Equal(runs[0].LiveTensors[1], run.LiveTensors[1]));
        Assert.All(runs, run => Assert.Equal(runs[0].LiveTensors[1], run.LiveTensors[^1]));
    }

    [Fact]
    public void TrainStacked_DivergingSeeds_ReportFailureAndStop()
    {
        var spec = Spec(Mlp(64), train: 64, epochs: 20, batchSize: 16, optimizer: OptimizerKind.Sgd, learningRate: 10);
        var progress = CohortSeeds.Select(_ => new RecordingProgress()).ToList();
        var requests = CohortSeeds.Select(seed => new RunRequest(spec, "mlp", null, seed)).ToList();

        var outcomes = CreateTrainer().TrainStacked(requests, progress, CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.StartsWith("Loss became NaN at epoch ", outcome.Failure));
        Assert.All(outcomes, outcome => Assert.Null(outcome.Last!.TrainLoss));
        Assert.All(progress, p => Assert.True(p.Epochs.Count < 20));
    }

    [Fact]
    public void TrainStacked_DivergingSeeds_LogWarningPerSeed()
    {
        var spec = Spec(Mlp(64), train: 64, epochs: 20, batchSize: 16, optimizer: OptimizerKind.Sgd, learningRate: 10);
        var progress = CohortSeeds.Select(_ => new RecordingProgress()).ToList();
        var requests = CohortSeeds
            .Select(seed => new RunRequest(spec, "mlp", null, seed) { RunId = $"run{seed}" })
            .ToList();
        var logger = new ListLogger<Trainer>();
        var trainer = CreateTrainer(logger);

        var outcomes = trainer.TrainStacked(requests, progress, CancellationToken.None);

        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(CohortSeeds.Length, warnings.Count);
        for (var k = 0; k < CohortSeeds.Length; k++)
        {
            Assert.Equal($"Run run{CohortSeeds[k]} failed: model mlp, seed {CohortSeeds[k]}: {outcomes[k].Failure}", warnings[k]);
        }
    }

    [Fact]
    public void TrainStacked_StartAndFinishLogs_NameCondition()
    {
        var spec = Spec(Mlp(8), train: 16, epochs: 1, batchSize: 16);
        spec = spec with { Data = spec.Data! with { Conditions = [new DataCondition { Name = "noise" }] } };
        var progress = CohortSeeds.Select(_ => new RecordingProgress()).ToList();
        var requests = CohortSeeds.Select(seed => new RunRequest(spec, "mlp", "noise", seed)).ToList();
        var logger = new ListLogger<Trainer>();
        var trainer = CreateTrainer(logger);

        trainer.TrainStacked(requests, progress, CancellationToken.None);

        var cohortLines = logger.Entries.Select(e => e.Message).Where(m => m.StartsWith("Stacked cohort ")).ToList();
        Assert.Equal(2, cohortLines.Count);
        Assert.StartsWith("Stacked cohort started: model mlp, condition noise, seeds 1,2,3, device cpu, ", cohortLines[0]);
        Assert.Equal("Stacked cohort finished: model mlp, condition noise, seeds 1,2,3, 0 failed", cohortLines[1]);
    }

    [Fact]
    public void TrainStacked_EveryRunLeft_LogsStopEpoch()
    {
        var spec = Spec(Mlp(8), train: 16, epochs: 20, batchSize: 16);
        var progress = CohortSeeds.Select(_ => new LeavingProgress(leaveAfterEpoch: 3)).ToList();
        var requests = CohortSeeds.Select(seed => new RunRequest(spec, "mlp", null, seed)).ToList();
        var logger = new ListLogger<Trainer>();
        var trainer = CreateTrainer(logger);

        trainer.TrainStacked(requests, progress, CancellationToken.None);

        var cohortLines = logger.Entries.Select(e => e.Message).Where(m => m.StartsWith("Stacked cohort ")).ToList();
        Assert.Equal(2, cohortLines.Count);
        Assert.Equal(
            "Stacked cohort stopped after epoch 3 of 20, because no run of it was still training: model mlp, "
            + "condition none, seeds 1,2,3, 0 failed",
            cohortLines[1]);
    }

    // Seeds 1 and 2 train in one lane and seed 3 in the other. The first lane reports its last epoch only once seed 3's
    // run has ended, which happens only if a lane ends its runs when it is done, not when every lane is.
    [Fact]
    public void TrainStacked_LaneDone_EndsItsRunsFirst()
    {
        var spec = Spec(Mlp(8), train: 16, epochs: 3, batchSize: 16);
        using var laneTwoEnded = new ManualResetEventSlim();
        var waitedForLaneTwo = false;
        var progress = new List<EndingProgress>
        {
            new(onEpoch: metrics => waitedForLaneTwo |= metrics.Epoch == 3 && laneTwoEnded.Wait(TimeSpan.FromSeconds(20))),
            new(),
            new(onEnded: laneTwoEnded.Set),
        };
        var requests = CohortSeeds.Select(seed => new RunRequest(spec, "mlp", null, seed)).ToList();

        var outcomes = CreateTrainer().TrainStacked(requests, progress, CancellationToken.None, lanes: 2);

        Assert.True(waitedForLaneTwo, "Seed 3's run ended only after the other lane's last epoch.");
        Assert.All(outcomes, outcome => Assert.Null(outcome.Failure));
        Assert.All(progress, seed => Assert.Equal([null], seed.Endings));
    }

    [Fact]
    public void TrainStacked_Cancelled_LogsStopEpoch()
    {
        var spec = Spec(Mlp(8), train: 16, epochs: 20, batchSize: 16);
        using var cancellation = new CancellationTokenSource();
        var progress = CohortSeeds
            .Select(_ => new RecordingProgress(metrics =>
            {
                if (metrics.Epoch == 4)
                {
                    cancellation.Cancel();
                }
            }))
            .ToList();
        var requests = CohortSeeds.Select(seed => new RunRequest(spec, "mlp", null, seed)).ToList();
        var logger = new ListLogger<Trainer>();
        var trainer = CreateTrainer(logger);

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.TrainStacked(requests, progress, cancellation.Token));

        var cohortLines = logger.Entries.Select(e => e.Message).Where(m => m.StartsWith("Stacked cohort ")).ToList();
        Assert.Equal(2, cohortLines.Count);
        Assert.Equal(
            "Stacked cohort stopped on request after epoch 4 of 20: model mlp, condition none, seeds 1,2,3",
            cohortLines[1]);
    }

    private static void AssertMatchesSeparate(ExperimentSpec spec, string model, int? lanes = null)
    {
        var stacked = TrainStacked(spec with { Training = spec.Training! with { Execution = ExecutionMode.Stacked } }, model, CohortSeeds, lanes);

        for (var k = 0; k < CohortSeeds.Length; k++)
        {
            var separate = Train(spec, model, CohortSeeds[k]);
            Assert.Equal(separate.ParameterCount, stacked[k].ParameterCount);
            Assert.Equal(separate.Epochs.Count, stacked[k].Epochs.Count);
            for (var e = 0; e < separate.Epochs.Count; e++)
            {
                var (alone, together) = (separate.Epochs[e], stacked[k].Epochs[e]);
                AssertClose(alone.TrainLoss!.Value, together.TrainLoss!.Value);
                Assert.Equal(alone.TrainAccuracy, together.TrainAccuracy);
                Assert.Equal(alone.TestLoss is null, together.TestLoss is null);
                if (alone.TestLoss is { } testLoss)
                {
                    AssertClose(testLoss, together.TestLoss!.Value);
                    Assert.Equal(alone.TestAccuracy, together.TestAccuracy);
                }
            }
        }

        // Distinct seeds stay distinct inside the stack.
        Assert.NotEqual(stacked[0].Epochs[^1].TrainLoss, stacked[1].Epochs[^1].TrainLoss);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(
            Math.Abs(expected - actual) <= 1e-6 * Math.Abs(expected),
            $"Expected {expected:R} within 1e-6 relative; got {actual:R}.");
}

/// <summary>Progress of a run that leaves its cohort after a given epoch, as a cancelled run does.</summary>
internal sealed class LeavingProgress(int leaveAfterEpoch) : ITrainingProgress
{
    public bool HasLeft { get; private set; }

    public void Started(string device, long parameterCount)
    {
    }

    public void Epoch(EpochMetrics metrics) => HasLeft = metrics.Epoch >= leaveAfterEpoch;
}

/// <summary>Progress that records each end of its run and can act on epochs and on the end.</summary>
internal sealed class EndingProgress(Action<EpochMetrics>? onEpoch = null, Action? onEnded = null) : ITrainingProgress
{
    public List<string?> Endings { get; } = [];

    public void Started(string device, long parameterCount)
    {
    }

    public void Epoch(EpochMetrics metrics) => onEpoch?.Invoke(metrics);

    public void TrainingEnded(string? failure)
    {
        Endings.Add(failure);
        onEnded?.Invoke();
    }
}
