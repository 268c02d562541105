using static TorchSharp.torch;

namespace RandomFit.Training.Data;

/// <summary>
/// A generated dataset: inputs of shape [N, C, H, W] as float32 and labels as int64 class indices.
/// The test split is null when the spec asks for no test samples. Disposing it frees the tensors.
/// </summary>
public sealed class Dataset(Tensor trainInputs, Tensor trainLabels, Tensor? testInputs, Tensor? testLabels) : IDisposable
{
    /// <summary>Training inputs, [N, C, H, W].</summary>
    public Tensor TrainInputs { get; } = trainInputs;

    /// <summary>Training labels, [N].</summary>
    public Tensor TrainLabels { get; } = trainLabels;

    /// <summary>Test inputs, or null without a test split.</summary>
    public Tensor? TestInputs { get; } = testInputs;

    /// <summary>Test labels, or null without a test split.</summary>
    public Tensor? TestLabels { get; } = testLabels;

    /// <summary>Number of training samples.</summary>
    public long TrainCount => TrainInputs.shape[0];

    /// <summary>
    /// Returns the training split followed by the test split along <paramref name="sampleAxis"/> (0 for one run's
    /// [N, ...] tensors, 1 for a stacked cohort's [K, N, ...]), or null without a test split or when the two splits
    /// have more than <paramref name="maxSamples"/> samples together. The caller disposes the returned tensors.
    /// </summary>
    public (Tensor Inputs, Tensor Labels)? JoinSplits(int sampleAxis, long maxSamples)
    {
        if (TestInputs is null || TestLabels is null
            || TrainInputs.shape[sampleAxis] + TestInputs.shape[sampleAxis] > maxSamples)
        {
            return null;
        }

        return (cat([TrainInputs, TestInputs], sampleAxis), cat([TrainLabels, TestLabels], sampleAxis));
    }

    /// <summary>Returns a copy of this dataset on <paramref name="device"/>.</summary>
    public Dataset To(Device device) => new(
        TrainInputs.to(device),
        TrainLabels.to(device),
        TestInputs?.to(device),
        TestLabels?.to(device));

    /// <inheritdoc/>
    public void Dispose()
    {
        TrainInputs.Dispose();
        TrainLabels.Dispose();
        TestInputs?.Dispose();
        TestLabels?.Dispose();
    }
}
