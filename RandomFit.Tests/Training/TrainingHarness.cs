using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using DisposeScopeManager = TorchSharp.DisposeScopeManager;

namespace RandomFit.Tests.Training;

/// <summary>A CPU trainer with one libtorch thread, and small specs to train.</summary>
internal static class TrainingHarness
{
    public static DeviceSelector CreateDevices() => new(
        Options.Create(new TrainingOptions { Device = "cpu", Threads = 1 }),
        NullLogger<DeviceSelector>.Instance);

    public static Trainer CreateTrainer() => CreateTrainer(NullLogger<Trainer>.Instance);

    /// <summary>Creates the same trainer, logging to <paramref name="logger"/>.</summary>
    public static Trainer CreateTrainer(ILogger<Trainer> logger) => new(
        CreateDevices(),
        Options.Create(new TrainingOptions { Device = "cpu", Threads = 1 }),
        logger);

    /// <summary>Trains one run to the end and returns its progress.</summary>
    public static RecordingProgress Train(ExperimentSpec spec, string model, int seed, string? condition = null)
    {
        var progress = new RecordingProgress();
        CreateTrainer().Train(new RunRequest(spec, model, condition, seed), progress, CancellationToken.None);
        return progress;
    }

    /// <summary>Trains seeds as one stacked cohort to the end, checks that none failed, and returns each seed's progress.</summary>
    public static List<RecordingProgress> TrainStacked(ExperimentSpec spec, string model, IReadOnlyList<int> seeds, int? lanes = null)
    {
        var progress = seeds.Select(_ => new RecordingProgress()).ToList();
        var requests = seeds.Select(seed => new RunRequest(spec, model, null, seed)).ToList();
        var outcomes = CreateTrainer().TrainStacked(requests, progress, CancellationToken.None, lanes);
        Assert.All(outcomes, outcome => Assert.Null(outcome.Failure));
        return progress;
    }

    public static ExperimentSpec Spec(
        ModelSpec model,
        int channels = 3,
        int side = 8,
        int train = 64,
        int test = 0,
        int classes = 10,
        InputKind inputs = InputKind.Normal,
        int epochs = 5,
        int batchSize = 64,
        OptimizerKind optimizer = OptimizerKind.Adam,
        double learningRate = 0.001) => new()
        {
            Data = new DataSpec
            {
                Shape = new ShapeSpec { Channels = channels, Height = side, Width = side },
                TrainSamples = train,
                TestSamples = test,
                Classes = classes,
                Inputs = inputs,
            },
            Models = [model],
            Training = new TrainingSpec
            {
                Epochs = epochs,
                BatchSize = batchSize,
                Optimizer = optimizer,
                LearningRate = learningRate,
            },
        };

    public static ModelSpec Mlp(params int[] hidden) => new() { Name = "mlp", Kind = ModelKind.Mlp, Hidden = hidden };

    /// <summary>conv3x3(3->16, same), ReLU, max pool 2, conv3x3(16->32, same), ReLU, max pool 2, linear to the output.</summary>
    public static ModelSpec SmallCnn() => new()
    {
        Name = "cnn",
        Kind = ModelKind.Cnn,
        Conv =
        [
            new ConvSpec { Filters = 16, Kernel = 3, Padding = Padding.Same },
            new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Same },
        ],
    };

    /// <summary>Whether two tensors have one shape and equal values, bit for bit.</summary>
    public static bool Same(TorchSharp.torch.Tensor first, TorchSharp.torch.Tensor second)
    {
        if (!first.shape.SequenceEqual(second.shape))
        {
            return false;
        }

        using var equal = first.eq(second);
        using var all = equal.all();
        return all.item<bool>();
    }

    /// <summary>Epochs without their timings, which differ from run to run.</summary>
    public static IReadOnlyList<EpochMetrics> WithoutTimings(IEnumerable<EpochMetrics> epochs) =>
        epochs.Select(e => e with { Seconds = 0, ElapsedSeconds = 0 }).ToList();
}

/// <summary>Records a run's progress and the training thread's live tensor count after each epoch.</summary>
internal sealed class RecordingProgress(Action<EpochMetrics>? onEpoch = null) : ITrainingProgress
{
    public string? Device { get; private set; }

    public long ParameterCount { get; private set; }

    public List<EpochMetrics> Epochs { get; } = [];

    public List<long> LiveTensors { get; } = [];

    public void Started(string device, long parameterCount)
    {
        Device = device;
        ParameterCount = parameterCount;
    }

    public void Epoch(EpochMetrics metrics)
    {
        Epochs.Add(metrics);
        LiveTensors.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        onEpoch?.Invoke(metrics);
    }

    /// <summary>The first epoch whose train accuracy is 1.0, or null.</summary>
    public int? FirstFitEpoch => Epochs.FirstOrDefault(e => e.TrainAccuracy == 1.0)?.Epoch;
}
