using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>Mean loss and accuracy of a model over a whole split.</summary>
internal readonly record struct SplitMetrics(double Loss, double Accuracy);

/// <summary>The per-epoch steps: one training pass and the evaluation of a split.</summary>
internal static class EpochLoop
{
    // Evaluation keeps no activations for a backward pass, so it can use larger batches than training.
    private const int MinEvaluationBatchSize = 256;

    /// <summary>Returns the batch size of evaluation for a training batch size.</summary>
    public static int EvaluationBatchSize(int trainingBatchSize) => Math.Max(trainingBatchSize, MinEvaluationBatchSize);

    /// <summary>
    /// Trains one pass over the training set in the order of a permutation drawn from <paramref name="orderGenerator"/>,
    /// gathered by <paramref name="shuffle"/>. Nothing is read back from the device, so the pass never waits on it.
    /// </summary>
    // Compiled optimized on first use, so the runtime does not recompile it during training.
    // That recompilation added about 3% to the resident set over 1,000 epochs (docs/benchmarks.md, Memory).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TrainOneEpoch(
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        Tensor inputs,
        Tensor labels,
        int batchSize,
        bool avoidSingleSampleBatch,
        Generator orderGenerator,
        EpochShuffle shuffle,
        CancellationToken cancellationToken)
    {
        model.train();
        var count = inputs.shape[0];

        // The permutation is drawn on the CPU, so the batch order is the same on every device.
        using var order = randperm(count, generator: orderGenerator);

        // One gather per epoch: each batch is then a view, with no index tensor or copy per step.
        var (shuffledInputs, shuffledLabels) = shuffle.Gather(inputs, labels, order);
        foreach (var (start, length) in Batches(count, batchSize, avoidSingleSampleBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batchInputs = shuffledInputs.narrow(0, start, length);
            var batchLabels = shuffledLabels.narrow(0, start, length);

            optimizer.zero_grad();
            var logits = model.call(batchInputs);
            var loss = Objective.Loss(logits, batchLabels, nn.Reduction.Mean);
            loss.backward();
            optimizer.step();
        }
    }

    /// <summary>Evaluates the whole split in batches under eval mode and no_grad; reads the device once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SplitMetrics Evaluate(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, int batchSize)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var count = inputs.shape[0];
        var lossSum = zeros(1, ScalarType.Float64, inputs.device);
        var correct = zeros(1, ScalarType.Int64, inputs.device);
        foreach (var (start, length) in Batches(count, batchSize, avoidSingleSampleBatch: false))
        {
            using var batchScope = NewDisposeScope();
            var logits = model.call(inputs.narrow(0, start, length));
            var batchLabels = labels.narrow(0, start, length);
            lossSum.add_(Objective.Loss(logits, batchLabels, nn.Reduction.Sum).to_type(ScalarType.Float64), HeldScalars.One);
            correct.add_(Objective.CorrectCount(logits, batchLabels), HeldScalars.One);
        }

        // The only reads of the evaluation; each waits for the device to finish.
        var loss = lossSum.item<double>() / count;
        var accuracy = (double)correct.item<long>() / count;
        return new SplitMetrics(loss, accuracy);
    }

    /// <summary>
    /// Evaluates two splits stored one after the other in <paramref name="inputs"/> (the first
    /// <paramref name="firstCount"/> samples, then the rest) with one forward pass, and reads the device once.
    /// For small splits, where each call costs more than its arithmetic, this halves the evaluation's calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (SplitMetrics First, SplitMetrics Second) EvaluateTwo(
        nn.Module<Tensor, Tensor> model,
        Tensor inputs,
        Tensor labels,
        long firstCount)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var secondCount = inputs.shape[0] - firstCount;
        var logits = model.call(inputs);
        var firstLogits = logits.narrow(0, 0, firstCount);
        var secondLogits = logits.narrow(0, firstCount, secondCount);
        var firstLabels = labels.narrow(0, 0, firstCount);
        var secondLabels = labels.narrow(0, firstCount, secondCount);
        var figures = stack(
        [
            Objective.Loss(firstLogits, firstLabels, nn.Reduction.Sum).to_type(ScalarType.Float64),
            Objective.CorrectCount(firstLogits, firstLabels).to_type(ScalarType.Float64),
            Objective.Loss(secondLogits, secondLabels, nn.Reduction.Sum).to_type(ScalarType.Float64),
            Objective.CorrectCount(secondLogits, secondLabels).to_type(ScalarType.Float64),
        ]).cpu().data<double>().ToArray();

        return (
            new SplitMetrics(figures[0] / firstCount, figures[1] / firstCount),
            new SplitMetrics(figures[2] / secondCount, figures[3] / secondCount));
    }

    /// <summary>
    /// Splits <paramref name="count"/> samples into batches of <paramref name="batchSize"/>. With
    /// <paramref name="avoidSingleSampleBatch"/>, a last batch of one sample joins the batch before it, because
    /// batch normalization cannot compute statistics from one sample.
    /// </summary>
    internal static IEnumerable<(long Start, long Length)> Batches(long count, int batchSize, bool avoidSingleSampleBatch)
    {
        for (long start = 0; start < count; start += batchSize)
        {
            var length = Math.Min(batchSize, count - start);
            var remaining = count - start - length;
            if (avoidSingleSampleBatch && remaining == 1 && start + length < count)
            {
                yield return (start, length + 1);
                yield break;
            }

            yield return (start, length);
        }
    }
}
