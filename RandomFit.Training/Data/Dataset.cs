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
