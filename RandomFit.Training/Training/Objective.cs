using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace RandomFit.Training.Training;

/// <summary>
/// Loss and accuracy for the output layer: one logit with binary cross-entropy for two classes, else softmax
/// cross-entropy. Both losses are computed from logits, never from clipped probabilities, which saturate.
/// </summary>
internal static class Objective
{
    public static Tensor Loss(Tensor logits, Tensor labels, nn.Reduction reduction)
    {
        if (logits.shape[1] == 1)
        {
            using var targets = labels.to_type(ScalarType.Float32);
            using var flat = logits.squeeze(1);
            return binary_cross_entropy_with_logits(flat, targets, reduction: reduction);
        }

        return cross_entropy(logits, labels, reduction: reduction);
    }

    /// <summary>Returns the number of correct predictions as an int64 scalar on the logits' device.</summary>
    public static Tensor CorrectCount(Tensor logits, Tensor labels)
    {
        using var predicted = logits.shape[1] == 1 ? logits.squeeze(1).gt(0).to_type(ScalarType.Int64) : logits.argmax(1);
        using var hits = predicted.eq(labels);
        return hits.sum(ScalarType.Int64);
    }

    /// <summary>Per-sample losses [K, B] of stacked logits [K, B, outputs] and labels [K, B].</summary>
    public static Tensor StackedLoss(Tensor logits, Tensor labels)
    {
        if (logits.shape[2] == 1)
        {
            using var targets = labels.to_type(ScalarType.Float32);
            using var flat = logits.squeeze(2);
            return binary_cross_entropy_with_logits(flat, targets, reduction: nn.Reduction.None);
        }

        var (seeds, batch, outputs) = (logits.shape[0], logits.shape[1], logits.shape[2]);
        using var rows = logits.reshape(seeds * batch, outputs);
        using var flatLabels = labels.reshape(seeds * batch);
        using var losses = cross_entropy(rows, flatLabels, reduction: nn.Reduction.None);
        return losses.reshape(seeds, batch);
    }

    /// <summary>Returns whether each prediction of stacked logits [K, B, outputs] is correct, as bool [K, B].</summary>
    public static Tensor StackedHits(Tensor logits, Tensor labels)
    {
        using var predicted = logits.shape[2] == 1 ? logits.squeeze(2).gt(0).to_type(ScalarType.Int64) : logits.argmax(2);
        return predicted.eq(labels);
    }

    /// <summary>Returns the correct predictions of each seed as int64 [K] on the logits' device.</summary>
    public static Tensor StackedCorrectCount(Tensor logits, Tensor labels)
    {
        using var hits = StackedHits(logits, labels);
        return hits.sum([1], type: ScalarType.Int64);
    }
}
