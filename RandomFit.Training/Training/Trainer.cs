using System.Globalization;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RandomFit.Training.Data;
using RandomFit.Training.Devices;
using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>Trains one run synchronously on the calling thread.</summary>
public sealed partial class Trainer(DeviceSelector devices, IOptions<TrainingOptions> options, ILogger<Trainer> logger)
{
    /// <summary>Adam's epsilon as Keras sets it; PyTorch's default is 1e-8.</summary>
    public const double AdamEpsilon = 1e-7;

    private readonly IDatasetStore? _datasets;

    /// <summary>Creates a trainer that can also train on uploaded datasets (<c>inputs: "file"</c>).</summary>
    public Trainer(DeviceSelector devices, IOptions<TrainingOptions> options, ILogger<Trainer> logger, IDatasetStore datasets)
        : this(devices, options, logger)
    {
        _datasets = datasets;
    }

    /// <summary>
    /// Trains a run, reporting each epoch to <paramref name="progress"/>. Throws OperationCanceledException
    /// within one epoch of cancellation and TrainingFailedException when the loss stops being finite.
    /// </summary>
    public void Train(RunRequest request, ITrainingProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var spec = request.Spec;
        var training = spec.Training ?? throw new ArgumentException("The spec has no training settings.", nameof(request));
        var epochs = training.Epochs ?? throw new ArgumentException("The spec has no epoch count.", nameof(request));
        var modelSpec = spec.FindModel(request.Model);
        var data = spec.ResolveData(request.Condition);

        // Seed: one generator per source of randomness, never torch's global one, which concurrent runs share.
        var seeds = RunSeeds.For(training, request.Seed);
        using var orderGenerator = new Generator(RunSeeds.Derive(seeds.Order, RunSeeds.OrderStream), CPU);

        // Device
        var device = devices.Device;

        // Data: generated on the CPU from its seed alone, then moved to the device once.
        // NOTE: only CPU runs are checked against host memory; a CUDA run keeps its data and activations on the GPU.
        // The check sees one run at a time, so runs trained at once can still exceed memory together.
        if (device.type == DeviceType.CPU)
        {
            MemoryCheck.EnsureFits(modelSpec, data, training, MemoryCheck.AvailableBytes());
        }


        using var dataset = CreateDataset(data, seeds.Data, device);

        // Model
        using var dropoutGenerator = new Generator(RunSeeds.Derive(seeds.Order, RunSeeds.DropoutStream), device);
        using var model = CreateModel(modelSpec, data, seeds.Init, dropoutGenerator, device);
        var parameterCount = ModelBuilder.CountParameters(modelSpec, data);

        // Optimizer
        using var optimizer = CreateOptimizer(model.parameters(), modelSpec, training);

        progress.Started(devices.Name, parameterCount);
        var runId = request.RunId ?? "(not stored)";
        logger.LogInformation(
            "Run {RunId} started: model {Model}, condition {Condition}, seed {Seed}, device {Device}, "
            + "{ParameterCount} parameters, libtorch threads {Threads} (configured {ConfiguredThreads}, 0 = all cores)",
            runId,
            request.Model,
            request.Condition ?? "none",
            request.Seed,
            devices.Name,
            parameterCount,
            get_num_threads(),
            options.Value.Threads);

        // Checkpoint: every generator drawn from after the model is built, in a fixed order.
        Generator[] generators = [orderGenerator, dropoutGenerator];
        var start = ResumeFrom(request, model, optimizer, generators);

        // Epochs
        using var run = new EpochRunner(model, optimizer, dataset, training.BatchSize, modelSpec.BatchNorm, orderGenerator)
        {
            Checkpoint = request.Checkpoint,
            Generators = generators,
        };
        try
        {
            var last = run.Run(start.Epoch, start.ElapsedSeconds, epochs, progress, cancellationToken);
            logger.LogInformation(
                "Run {RunId} finished training: model {Model}, seed {Seed}, epochs {Epochs}, "
                + "train accuracy {TrainAccuracy:F4}, test accuracy {TestAccuracy}, {Seconds:F1} s",
                runId,
                request.Model,
                request.Seed,
                last.Epoch,
                last.TrainAccuracy,
                last.TestAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "none (no test split)",
                last.ElapsedSeconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scheduler decides and logs whether this ends the run as cancelled or as interrupted (shutdown).
            logger.LogInformation(
                "Run {RunId} stopped on request: model {Model}, seed {Seed}, epochs completed {Epochs}",
                runId,
                request.Model,
                request.Seed,
                run.CompletedEpochs);
            throw;
        }
        catch (TrainingFailedException exception)
        {
            logger.LogWarning(
                "Run {RunId} failed: model {Model}, seed {Seed}: {Reason}", runId, request.Model, request.Seed, exception.Message);
            throw;
        }
    }

    private (int Epoch, double ElapsedSeconds) ResumeFrom(
        RunRequest request,
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        Generator[] generators)
    {
        if (request.Checkpoint is not { Resume: true } plan)
        {
            return (0, 0);
        }

        if (!File.Exists(plan.Path))
        {
            throw new TrainingFailedException($"The checkpoint to resume from, {Path.GetFileName(plan.Path)}, does not exist.");
        }

        var start = RunCheckpoint.Load(plan.Path, model, optimizer, generators);
        logger.LogInformation(
            "Run resumed from the checkpoint after epoch {Epoch}: model {Model}, seed {Seed}",
            start.Epoch,
            request.Model,
            request.Seed);
        return start;
    }

    private Dataset CreateDataset(DataSpec data, int dataSeed, Device device)
    {
        var cpuData = CreateCpuDataset(data, dataSeed);
        if (device.type == DeviceType.CPU)
        {
            return cpuData;
        }

        using (cpuData)
        {
            return cpuData.To(device);
        }
    }

    // Uploaded arrays for file inputs, generated data otherwise, on the CPU.
    private Dataset CreateCpuDataset(DataSpec data, int dataSeed) =>
        data.Inputs == InputKind.File ? LoadFile(data, dataSeed) : DataGenerator.Generate(data, dataSeed);

    private Dataset LoadFile(DataSpec data, int dataSeed)
    {
        if (_datasets is null || data.File is null)
        {
            throw new TrainingFailedException("Inputs \"file\" need an uploaded dataset, and this server has no dataset store.");
        }

        ArrayData arrays;
        try
        {
            arrays = _datasets.Load(data.File);
        }
        catch (KeyNotFoundException)
        {
            throw new TrainingFailedException($"Dataset \"{data.File}\" was not found.");
        }

        return FileData.Build(arrays, data, dataSeed);
    }

    // Weights are drawn on the CPU, so a seed starts from the same weights on every device.
    private static nn.Module<Tensor, Tensor> CreateModel(
        ModelSpec modelSpec,
        DataSpec data,
        int initSeed,
        Generator dropoutGenerator,
        Device device)
    {
        using var initGenerator = new Generator(RunSeeds.Derive(initSeed, RunSeeds.InitStream), CPU);
        var model = ModelBuilder.Build(modelSpec, data, initGenerator, dropoutGenerator);
        model.to(device);
        return model;
    }

    private static optim.Optimizer CreateOptimizer(
        IEnumerable<TorchSharp.Modules.Parameter> parameters,
        ModelSpec modelSpec,
        TrainingSpec training)
    {
        var weightDecay = modelSpec.EffectiveWeightDecay(training);
        return training.Optimizer switch
        {
            OptimizerKind.Sgd => new FusedSgd(parameters, training.LearningRate, training.Momentum, weightDecay, training.Nesterov),
            _ => new FusedAdam(parameters, training.LearningRate, AdamEpsilon, weightDecay),
        };
    }

    /// <summary>Runs the epochs of one run: each trains, evaluates, then reports plain numbers.</summary>
    private sealed class EpochRunner(
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        Dataset dataset,
        int batchSize,
        bool batchNorm,
        Generator orderGenerator) : IDisposable
    {
        private readonly int _evaluationBatchSize = EpochLoop.EvaluationBatchSize(batchSize);

        // Both splits in one tensor when together they fit one evaluation batch, so evaluation is one forward pass.
        private readonly (Tensor Inputs, Tensor Labels)? _bothSplits =
            dataset.JoinSplits(sampleAxis: 0, EpochLoop.EvaluationBatchSize(batchSize));

        public int CompletedEpochs { get; private set; }

        public CheckpointPlan? Checkpoint { get; init; }

        public IReadOnlyList<Generator> Generators { get; init; } = [];

        /// <summary>
        /// Trains the epochs after <paramref name="startEpoch"/>. A resumed run's elapsed seconds continue from
        /// <paramref name="startSeconds"/>.
        /// </summary>
        // Compiled optimized on first use, so the runtime does not recompile it during training.
        // That recompilation added about 3% to the resident set over 1,000 epochs (docs/benchmarks.md, Memory).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public EpochMetrics Run(
            int startEpoch,
            double startSeconds,
            int epochs,
            ITrainingProgress progress,
            CancellationToken cancellationToken)
        {
            EpochMetrics? last = null;
            CompletedEpochs = startEpoch;
            var clock = Stopwatch.StartNew();
            var offset = TimeSpan.FromSeconds(startSeconds);
            var heapTrimmer = new NativeHeapTrimmer();
            using var shuffle = new EpochShuffle();
            for (var epoch = startEpoch + 1; epoch <= epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var epochStart = clock.Elapsed;

                EpochLoop.TrainOneEpoch(
                    model,
                    optimizer,
                    dataset.TrainInputs,
                    dataset.TrainLabels,
                    batchSize,
                    batchNorm,
                    orderGenerator,
                    shuffle,
                    cancellationToken);
                var (train, test) = Evaluate();

                var seconds = (clock.Elapsed - epochStart).TotalSeconds;
                last = new EpochMetrics(
                    epoch,
                    EpochMetrics.Loss(train.Loss),
                    train.Accuracy,
                    test is null ? null : EpochMetrics.Loss(test.Value.Loss),
                    test?.Accuracy,
                    seconds,
                    (offset + clock.Elapsed).TotalSeconds);
                CompletedEpochs = epoch;
                progress.Epoch(last);

                // The epoch is reported first, so its accuracy is kept, then the run fails.
                if (last.TrainLoss is null || (test is not null && last.TestLoss is null))
                {
                    throw new TrainingFailedException($"Loss became NaN at epoch {epoch}.");
                }

                // The last epoch needs no checkpoint: a finished run is never resumed.
                if (Checkpoint is { } plan && epoch % plan.EveryEpochs == 0 && epoch < epochs)
                {
                    RunCheckpoint.Save(plan.Path, epoch, last.ElapsedSeconds, model, optimizer, Generators);
                }

                heapTrimmer.TrimIfDue();
            }

            return last ?? throw new InvalidOperationException(
                $"Nothing to train: the run starts after epoch {startEpoch} of {epochs}.");
        }


        private (SplitMetrics Train, SplitMetrics? Test) Evaluate()
        {
            if (dataset.TestInputs is null || dataset.TestLabels is null)
            {
                return (EpochLoop.Evaluate(model, dataset.TrainInputs, dataset.TrainLabels, _evaluationBatchSize), null);
            }

            if (_bothSplits is { } both)
            {
                var (train, test) = EpochLoop.EvaluateTwo(model, both.Inputs, both.Labels, dataset.TrainInputs.shape[0]);
                return (train, test);
            }

            return (
                EpochLoop.Evaluate(model, dataset.TrainInputs, dataset.TrainLabels, _evaluationBatchSize),
                EpochLoop.Evaluate(model, dataset.TestInputs, dataset.TestLabels, _evaluationBatchSize));
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _bothSplits?.Inputs.Dispose();
            _bothSplits?.Labels.Dispose();
        }
    }
}
