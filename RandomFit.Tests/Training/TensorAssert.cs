using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>Comparisons of tensors computed by two routes, with the largest difference in the failure message.</summary>
internal static class TensorAssert
{
    /// <summary>Checks that both tensors have one shape and agree within the relative and absolute tolerances.</summary>
    public static void Close(Tensor expected, Tensor actual, double relative, double absolute, string subject, string reference)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(
            expected.allclose(actual, rtol: relative, atol: absolute),
            $"{subject} differs from {reference} by up to {difference}.");
    }
}
