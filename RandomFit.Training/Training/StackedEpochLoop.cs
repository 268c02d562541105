using System.Runtime.CompilerServices;
using RandomFit.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>Per-seed loss sums and correct counts of a stacked evaluation, one entry per seed.</summary>
internal readonly record struct StackedSplitMetrics(double[] Loss, double[] Accuracy);

/// <summary>The per-epoch steps of a stacked cohort: inputs are [K, N, ...] and labels [K, N].</summary>
internal static class StackedEpochLoop
{
    /// <summary>
    /// Trains one pass in which seed k visits its own samples in the order of a permutation drawn from its own
    /// generator, the same permutation its separate run draws. The loss is the sum of the seeds' batch means, so
    /// each seed's gradient equals the one its separate run computes.
    /// </summary>
    // Compiled optimized on first use, so the runtime does not recompile it during training.
    // That recompilation added about 3% to the resident set over 1,000 epochs (docs/benchmarks.md, Memory).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TrainOneEpoch(
        StackedNetwork network,
        optim.Optimizer optimizer,
        Tensor inputs,
        Tensor labels,
        int batchSize,
        IReadOnlyList<Generator> orderGenerators,
        EpochShuffle shuffle,
        CancellationToken cancellationToken)
    {
        var count = inputs.shape[1];
        using var shuffled = NewDisposeScope();
        var (shuffledInputs, shuffledLabels) = Shuffle(inputs, labels, orderGenerators, shuffle);
        foreach (var (start, length) in EpochLoop.Batches(count, batchSize, avoidSingleSampleBatch: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batchInputs = shuffledInputs.narrow(1, start, length);
            var batchLabels = shuffledLabels.narrow(1, start, length);

            if (network.IsDenseOnly)
            {
                network.SetDenseGradients(batchInputs, batchLabels);
            }
            else
            {
                optimizer.zero_grad();
                var logits = network.Forward(batchInputs);
                var loss = Objective.StackedLoss(logits, batchLabels).mean([1]).sum();
                loss.backward();
            }

            optimizer.step();
        }
    }

    /// <summary>Evaluates every seed on its own split and reads the device once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StackedSplitMetrics Evaluate(StackedNetwork network, Tensor inputs, Tensor labels, int batchSize)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var seeds = (int)inputs.shape[0];
        var count = inputs.shape[1];
        var host = new HostSums(seeds);

        // Device sums are made only for libtorch's path, on the first batch that takes it.
        Tensor? lossSum = null;
        Tensor? correct = null;
        foreach (var (start, length) in EpochLoop.Batches(count, batchSize, avoidSingleSampleBatch: false))
        {
            using var batchScope = NewDisposeScope();
            var logits = network.Forward(inputs.narrow(1, start, length));
            var batchLabels = labels.narrow(1, start, length);
            if (NarrowLogits.Applies(logits, batchLabels))
            {
                host.Add(logits, batchLabels, 0, length);
                continue;
            }

            lossSum ??= zeros(seeds, ScalarType.Float64, inputs.device).MoveToOuterDisposeScope();
            correct ??= zeros(seeds, ScalarType.Int64, inputs.device).MoveToOuterDisposeScope();
            lossSum.add_(Objective.StackedLoss(logits, batchLabels).sum([1]).to_type(ScalarType.Float64), HeldScalars.One);
            correct.add_(Objective.StackedCorrectCount(logits, batchLabels), HeldScalars.One);
        }

        if (lossSum is not null && correct is not null)
        {
            // These are the only reads of the evaluation, and each waits for the device to finish.
            host.Add(lossSum.cpu().data<double>().ToArray(), correct.cpu().data<long>().ToArray());
        }

        return host.Metrics(count);
    }

    /// <summary>
    /// Evaluates two splits stored one after the other along the sample axis of <paramref name="inputs"/> (the first
    /// <paramref name="firstCount"/> samples, then the rest) with one forward pass, and reads the device once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (StackedSplitMetrics First, StackedSplitMetrics Second) EvaluateTwo(
        StackedNetwork network,
        Tensor inputs,
        Tensor labels,
        long firstCount)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var seeds = (int)inputs.shape[0];
        var secondCount = inputs.shape[1] - firstCount;
        var logits = network.Forward(inputs);
        if (NarrowLogits.Applies(logits, labels))
        {
            var first = new HostSums(seeds);
            var second = new HostSums(seeds);
            first.Add(logits, labels, 0, firstCount);
            second.Add(logits, labels, firstCount, secondCount);
            return (first.Metrics(firstCount), second.Metrics(secondCount));
        }

        var losses = Objective.StackedLoss(logits, labels).to_type(ScalarType.Float64);
        var hits = Objective.StackedHits(logits, labels).to_type(ScalarType.Float64);
        var figures = stack(
        [
            losses.narrow(1, 0, firstCount).sum([1]),
            hits.narrow(1, 0, firstCount).sum([1]),
            losses.narrow(1, firstCount, secondCount).sum([1]),
            hits.narrow(1, firstCount, secondCount).sum([1]),
        ]).cpu();
        var values = figures.data<double>().ToArray();

        StackedSplitMetrics Split(int row, long count) => new(
            values.Skip(row * seeds).Take(seeds).Select(sum => sum / count).ToArray(),
            values.Skip((row + 1) * seeds).Take(seeds).Select(sum => sum / count).ToArray());

        return (Split(0, firstCount), Split(2, secondCount));
    }

    // Gathers every seed's split in its own order once per epoch, so batches are views.
    private static (Tensor Inputs, Tensor Labels) Shuffle(
        Tensor inputs,
        Tensor labels,
        IReadOnlyList<Generator> orderGenerators,
        EpochShuffle shuffle)
    {
        var seeds = inputs.shape[0];
        var count = inputs.shape[1];

        // Drawn on the CPU, as a separate run draws it, so seed k's batches are those of its separate run.
        var orders = stack(orderGenerators.Select(generator => randperm(count, generator: generator)).ToList());
        using Scalar sampleCount = count;
        var offsets = arange(seeds, ScalarType.Int64).mul_(sampleCount).unsqueeze(1);
        var flat = orders.add_(offsets, HeldScalars.One).flatten();

        var sampleShape = inputs.shape.Skip(2).ToArray();
        var (shuffledInputs, shuffledLabels) = shuffle.Gather(
            inputs.reshape([seeds * count, .. sampleShape]), labels.reshape(seeds * count), flat);
        return (shuffledInputs.reshape(inputs.shape), shuffledLabels.reshape(seeds, count));
    }

    /// <summary>Each seed's loss sum and correct count of one split, summed on the host.</summary>
    private sealed class HostSums(int seeds)
    {
        private readonly double[] _loss = new double[seeds];
        private readonly long[] _hits = new long[seeds];

        /// <summary>Adds rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of CPU logits.</summary>
        public void Add(Tensor logits, Tensor labels, long start, long count) =>
            NarrowLogits.AddLossAndHits(logits, labels, start, count, _loss, _hits);

        /// <summary>Adds sums read from the device.</summary>
        public void Add(double[] loss, long[] hits)
        {
            for (var k = 0; k < seeds; k++)
            {
                _loss[k] += loss[k];
                _hits[k] += hits[k];
            }
        }

        public StackedSplitMetrics Metrics(long count) => new(
            _loss.Select(sum => sum / count).ToArray(),
            _hits.Select(hits => (double)hits / count).ToArray());
    }
}
