using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RandomFit.Training.Data;
using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>How one seed of a stacked cohort ended: its last reported epoch, and a failure message or null.</summary>
public sealed record StackedRunOutcome(int Seed, EpochMetrics? Last, string? Failure);

public sealed partial class Trainer
{
    /// <summary>
    /// Trains a cohort (one model and condition, several seeds) as one stacked model, reporting seed k's epochs to
    /// <paramref name="progress"/>[k]. Each seed keeps its own data, batch order, initial weights and optimizer
    /// state, so its metrics match its separate run within float tolerance. A seed whose loss stops being finite
    /// is reported as failed in its outcome and no longer reported; the others go on. Every request with a
    /// checkpoint plan gets its own checkpoint file, and when the plans request a resume, every seed starts from its file.
    /// Throws OperationCanceledException within one epoch of cancellation.
    /// </summary>
    /// <param name="requests">The cohort's runs, one per seed.</param>
    /// <param name="progress">Where seed k's epochs go.</param>
    /// <param name="cancellationToken">Stops the whole cohort.</param>
    /// <param name="lanes">
    /// How many stacked models the seeds are split into on the CPU, each trained on its own thread with one libtorch
    /// thread: 0 for one model on every libtorch thread, null for the default of <see cref="StackedLanes.Count"/>.
    /// </param>
    public IReadOnlyList<StackedRunOutcome> TrainStacked(
        IReadOnlyList<RunRequest> requests,
        IReadOnlyList<ITrainingProgress> progress,
        CancellationToken cancellationToken,
        int? lanes = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(progress);
        if (requests.Count == 0 || requests.Count != progress.Count)
        {
            throw new ArgumentException("A cohort needs at least one run and one progress sink per run.", nameof(progress));
        }

        var first = requests[0];
        if (requests.Any(r => r.Spec != first.Spec || r.Model != first.Model || r.Condition != first.Condition))
        {
            throw new ArgumentException("The runs of a cohort share one spec, model and condition.", nameof(requests));
        }

        var convMultiplyAdds = StackedLanes.ConvMultiplyAdds(first.Spec.FindModel(first.Model), first.Spec.ResolveData(first.Condition).Shape!);
        if (StackedLanes.Count(devices.Device, requests.Count, lanes, convMultiplyAdds) is not { } laneCount)
        {
            return TrainLane(requests, progress, cancellationToken);
        }

        logger.LogInformation(
            "Stacked cohort trains in lanes, each on its own thread with one libtorch thread: seeds {Seeds}, lanes {Lanes}",
            string.Join(",", requests.Select(r => r.Seed)),
            laneCount);
        return StackedLanes.Run(
            requests,
            progress,
            laneCount,
            (laneRequests, laneProgress, token) => TrainLane(laneRequests, laneProgress, token),
            cancellationToken);
    }

    // Trains seeds as one stacked model on the calling thread.
    private IReadOnlyList<StackedRunOutcome> TrainLane(
        IReadOnlyList<RunRequest> requests,
        IReadOnlyList<ITrainingProgress> progress,
        CancellationToken cancellationToken)
    {
        var first = requests[0];

        var training = first.Spec.Training ?? throw new ArgumentException("The spec has no training settings.", nameof(requests));
        var epochs = training.Epochs ?? throw new ArgumentException("The spec has no epoch count.", nameof(requests));
        var modelSpec = first.Spec.FindModel(first.Model);
        var data = first.Spec.ResolveData(first.Condition);
        var seeds = requests.Select(r => RunSeeds.For(training, r.Seed)).ToList();
        var device = devices.Device;

        using var generators = new GeneratorSet();
        var orderGenerators = seeds
            .Select(s => generators.Add(new Generator(RunSeeds.Derive(s.Order, RunSeeds.OrderStream), CPU)))
            .ToList();
        var initGenerators = seeds
            .Select(s => generators.Add(new Generator(RunSeeds.Derive(s.Init, RunSeeds.InitStream), CPU)))
            .ToList();

        // Data: each seed's dataset is generated as its separate run generates it, then stacked on the device.
        using var dataset = StackDatasets(data, seeds, device);
        using var network = StackedNetwork.Build(modelSpec, data, initGenerators, device);
        using var optimizer = CreateOptimizer(network.Parameters, modelSpec, training);
        var parameterCount = ModelBuilder.CountParameters(modelSpec, data);
        foreach (var sink in progress)
        {
            sink.Started(devices.Name, parameterCount);
        }

        var condition = first.Condition ?? "none";
        var seedList = string.Join(",", requests.Select(r => r.Seed));
        logger.LogInformation(
            "Stacked cohort started: model {Model}, condition {Condition}, seeds {Seeds}, device {Device}, "
            + "{ParameterCount} parameters per seed",
            first.Model,
            condition,
            seedList,
            devices.Name,
            parameterCount);

        var start = ResumeStacked(requests, network, optimizer, orderGenerators);
        var cohort = new StackedCohort(requests, progress, training.BatchSize);
        try
        {
            cohort.Run(network, optimizer, dataset, orderGenerators, start, epochs, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scheduler decides and logs how each run ends, as it does for a separate run.
            logger.LogInformation(
                "Stacked cohort stopped on request after epoch {Epoch} of {Epochs}: model {Model}, condition {Condition}, "
                + "seeds {Seeds}",
                cohort.LastEpoch,
                epochs,
                first.Model,
                condition,
                seedList);
            throw;
        }

        LogFailedSeeds(requests, cohort.Outcomes);
        var failed = cohort.Outcomes.Count(o => o.Failure is not null);
        if (cohort.LastEpoch < epochs)
        {
            // The loop ended early because every run failed or left, as when all runs of a lane are cancelled.
            logger.LogInformation(
                "Stacked cohort stopped after epoch {Epoch} of {Epochs}, because no run of it was still training: "
                + "model {Model}, condition {Condition}, seeds {Seeds}, {Failed} failed",
                cohort.LastEpoch,
                epochs,
                first.Model,
                condition,
                seedList,
                failed);
        }
        else
        {
            logger.LogInformation(
                "Stacked cohort finished: model {Model}, condition {Condition}, seeds {Seeds}, {Failed} failed",
                first.Model,
                condition,
                seedList,
                failed);
        }

        var outcomes = cohort.Outcomes;
        for (var k = 0; k < requests.Count; k++)
        {
            progress[k].TrainingEnded(outcomes[k].Failure);
        }

        return outcomes;
    }

    // Logs each failed seed with the warning that a separate run logs when it fails.
    private void LogFailedSeeds(IReadOnlyList<RunRequest> requests, IReadOnlyList<StackedRunOutcome> outcomes)
    {
        for (var k = 0; k < requests.Count; k++)
        {
            if (outcomes[k].Failure is { } reason)
            {
                logger.LogWarning(
                    "Run {RunId} failed: model {Model}, seed {Seed}: {Reason}",
                    requests[k].RunId ?? "(not stored)",
                    requests[k].Model,
                    requests[k].Seed,
                    reason);
            }
        }
    }

    /// <summary>
    /// Restores every seed from its checkpoint when the cohort resumes, and returns the epoch to start after and
    /// each seed's elapsed seconds at that epoch. A cohort resumes only when every run has a checkpoint and all of
    /// them are from the same epoch; the scheduler forms cohorts that way.
    /// </summary>
    private StackedStart ResumeStacked(
        IReadOnlyList<RunRequest> requests,
        StackedNetwork network,
        optim.Optimizer optimizer,
        IReadOnlyList<Generator> orderGenerators)
    {
        var resuming = requests.Count(r => r.Checkpoint is { Resume: true });
        if (resuming == 0)
        {
            return new StackedStart(0, new double[requests.Count]);
        }

        if (resuming < requests.Count)
        {
            throw new TrainingFailedException(
                $"Only {resuming} of the {requests.Count} runs of the stacked cohort have a checkpoint to resume from.");
        }

        // Every header is checked before any state is loaded, so a mismatch names the epochs.
        var paths = requests.Select(r => r.Checkpoint!.Path).ToList();
        var epoch = ReadCheckpointEpoch(paths[0]);
        foreach (var path in paths.Skip(1))
        {
            var other = ReadCheckpointEpoch(path);
            if (other != epoch)
            {
                throw new TrainingFailedException(
                    $"The checkpoint {Path.GetFileName(path)} is from epoch {other}, but the cohort resumes after epoch {epoch}.");
            }
        }

        var elapsed = new double[requests.Count];
        for (var k = 0; k < requests.Count; k++)
        {
            elapsed[k] = StackedCheckpoint.Load(paths[k], network, optimizer, k, orderGenerators[k]).ElapsedSeconds;
        }

        logger.LogInformation(
            "Stacked cohort resumed from the checkpoints after epoch {Epoch}: model {Model}, condition {Condition}, "
            + "seeds {Seeds}",
            epoch,
            requests[0].Model,
            requests[0].Condition ?? "none",
            string.Join(",", requests.Select(r => r.Seed)));
        return new StackedStart(epoch, elapsed);
    }

    private static int ReadCheckpointEpoch(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingFailedException($"The checkpoint to resume from, {Path.GetFileName(path)}, does not exist.");
        }

        return RunCheckpoint.TryReadHeader(path)?.Epoch
            ?? throw new TrainingFailedException($"The checkpoint to resume from, {Path.GetFileName(path)}, is not a readable checkpoint.");
    }

    private Dataset StackDatasets(DataSpec data, IReadOnlyList<RunSeeds> seeds, Device device)
    {
        var parts = seeds.Select(s => CreateCpuDataset(data, s.Data)).ToList();
        try
        {
            Tensor Stack(Func<Dataset, Tensor> pick)
            {
                using var stacked = stack(parts.Select(pick).ToList());
                return stacked.to(device);
            }

            var hasTest = parts[0].TestInputs is not null && parts[0].TestLabels is not null;
            return new Dataset(
                Stack(d => d.TrainInputs),
                Stack(d => d.TrainLabels),
                hasTest ? Stack(d => d.TestInputs!) : null,
                hasTest ? Stack(d => d.TestLabels!) : null);
        }
        finally
        {
            parts.ForEach(part => part.Dispose());
        }
    }

    /// <summary>Disposes the generators of a cohort together.</summary>
    private sealed class GeneratorSet : IDisposable
    {
        private readonly List<Generator> _generators = [];

        public Generator Add(Generator generator)
        {
            _generators.Add(generator);
            return generator;
        }

        public void Dispose() => _generators.ForEach(generator => generator.Dispose());
    }

    /// <summary>The epoch a cohort starts after, and each seed's elapsed seconds at the end of that epoch.</summary>
    private sealed record StackedStart(int Epoch, double[] ElapsedSeconds);

    /// <summary>Runs the epochs of a cohort and tracks each seed's last epoch and failure.</summary>
    private sealed class StackedCohort(
        IReadOnlyList<RunRequest> requests,
        IReadOnlyList<ITrainingProgress> progress,
        int batchSize)
    {
        private readonly EpochMetrics?[] _last = new EpochMetrics?[requests.Count];
        private readonly string?[] _failures = new string?[requests.Count];

        public IReadOnlyList<StackedRunOutcome> Outcomes =>
            requests.Select((r, k) => new StackedRunOutcome(r.Seed, _last[k], _failures[k])).ToList();

        /// <summary>The last epoch trained, or the epoch the cohort resumed after when it trained none.</summary>
        public int LastEpoch { get; private set; }

        // Compiled optimized on first use, so the runtime does not recompile it during training.
        // That recompilation added about 3% to the resident set over 1,000 epochs (docs/benchmarks.md, Memory).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(
            StackedNetwork network,
            optim.Optimizer optimizer,
            Dataset dataset,
            IReadOnlyList<Generator> orderGenerators,
            StackedStart start,
            int epochs,
            CancellationToken cancellationToken)
        {
            var evaluationBatchSize = EpochLoop.EvaluationBatchSize(batchSize);

            // Both splits in one tensor when together they fit one evaluation batch, so evaluation is one forward pass.
            var bothSplits = dataset.JoinSplits(sampleAxis: 1, evaluationBatchSize);
            using var bothInputs = bothSplits?.Inputs;
            using var bothLabels = bothSplits?.Labels;

            var clock = Stopwatch.StartNew();
            var heapTrimmer = new NativeHeapTrimmer();
            using var shuffle = new EpochShuffle();
            LastEpoch = start.Epoch;
            for (var epoch = start.Epoch + 1; epoch <= epochs && IsAnySeedTraining(); epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var epochStart = clock.Elapsed;
                StackedEpochLoop.TrainOneEpoch(
                    network,
                    optimizer,
                    dataset.TrainInputs,
                    dataset.TrainLabels,
                    batchSize,
                    orderGenerators,
                    shuffle,
                    cancellationToken);
                var (train, test) = Evaluate(network, dataset, bothSplits, evaluationBatchSize);

                // Every seed's epoch took the whole stacked epoch's time.
                var seconds = (clock.Elapsed - epochStart).TotalSeconds;
                for (var k = 0; k < requests.Count; k++)
                {
                    if (_failures[k] is null)
                    {
                        Report(k, epoch, train, test, seconds, start.ElapsedSeconds[k] + clock.Elapsed.TotalSeconds);
                    }
                }

                // The last epoch needs no checkpoint: a finished run is never resumed.
                if (epoch < epochs)
                {
                    SaveCheckpointsIfDue(epoch, network, optimizer, orderGenerators);
                }

                LastEpoch = epoch;
                heapTrimmer.TrimIfDue();
            }
        }

        // A seed stops counting once it failed or its run left the cohort. Without this check, a cohort whose
        // last run was cancelled after another seed failed would go on computing every epoch for no run.
        private bool IsAnySeedTraining()
        {
            for (var k = 0; k < requests.Count; k++)
            {
                if (_failures[k] is null && !progress[k].HasLeft)
                {
                    return true;
                }
            }

            return false;
        }

        // Every run still training writes its own file. A failed seed or one that left writes none, because its run
        // has ended, which deletes the file it wrote before.
        private void SaveCheckpointsIfDue(
            int epoch,
            StackedNetwork network,
            optim.Optimizer optimizer,
            IReadOnlyList<Generator> orderGenerators)
        {
            for (var k = 0; k < requests.Count; k++)
            {
                if (requests[k].Checkpoint is { } plan && epoch % plan.EveryEpochs == 0 && _failures[k] is null
                    && !progress[k].HasLeft)
                {
                    StackedCheckpoint.Save(plan.Path, epoch, _last[k]!.ElapsedSeconds, network, optimizer, k, orderGenerators[k]);
                }
            }
        }

        private static (StackedSplitMetrics Train, StackedSplitMetrics? Test) Evaluate(
            StackedNetwork network,
            Dataset dataset,
            (Tensor Inputs, Tensor Labels)? bothSplits,
            int evaluationBatchSize)
        {
            if (bothSplits is { } both)
            {
                var (train, test) = StackedEpochLoop.EvaluateTwo(network, both.Inputs, both.Labels, dataset.TrainInputs.shape[1]);
                return (train, test);
            }

            var trainOnly = StackedEpochLoop.Evaluate(network, dataset.TrainInputs, dataset.TrainLabels, evaluationBatchSize);
            return dataset.TestInputs is null || dataset.TestLabels is null
                ? (trainOnly, null)
                : (trainOnly, StackedEpochLoop.Evaluate(network, dataset.TestInputs, dataset.TestLabels, evaluationBatchSize));
        }

        private void Report(int k, int epoch, StackedSplitMetrics train, StackedSplitMetrics? test, double seconds, double elapsed)
        {
            var metrics = new EpochMetrics(
                epoch,
                EpochMetrics.Loss(train.Loss[k]),
                train.Accuracy[k],
                test is null ? null : EpochMetrics.Loss(test.Value.Loss[k]),
                test?.Accuracy[k],
                seconds,
                elapsed);
            _last[k] = metrics;
            progress[k].Epoch(metrics);

            // The epoch is reported first, so its accuracy is kept, then the seed fails.
            if (metrics.TrainLoss is null || (test is not null && metrics.TestLoss is null))
            {
                _failures[k] = $"Loss became NaN at epoch {epoch}.";
            }
        }

    }
}
