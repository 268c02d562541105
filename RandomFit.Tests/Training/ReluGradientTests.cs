using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class ReluGradientTests
{
    [Fact]
    public void MaskAndSum_MasksAndSumsRows()
    {
        // Two seeds, two rows, 11 units: one whole vector of eight and a tail of three.
        using var output = arange(44, ScalarType.Float32).sub_(20).reshape(2, 2, 11).relu_();
        using var gradient = full([2, 2, 11], 0.5f, ScalarType.Float32);
        gradient[0, 0, 3] = tensor(float.NaN);
        gradient[1, 1, 10] = tensor(4f);
        using var expected = gradient.where(output.gt(0), 0f);
        using var expectedSums = expected.sum([1], keepdim: true);

        Assert.True(ReluGradient.Applies(gradient, output));
        using var sums = ReluGradient.MaskAndSum(gradient, output);

        Assert.True(gradient.eq(expected).all().item<bool>(), "The masked gradient differs from autograd's ReLU gradient.");
        Assert.True(sums.eq(expectedSums).all().item<bool>(), "The bias gradient differs from the sum over rows.");
        Assert.Equal(0f, gradient[0, 0, 3].item<float>());
        Assert.Equal(4.5f, sums[1, 0, 10].item<float>());
    }

    [Fact]
    public void MaskAndSum_NaNOutput_MatchesAutograd()
    {
        // One seed, one row, 11 units: a NaN output in the vector part (unit 2) and in the tail (unit 9).
        using var before = tensor(new[] { 1f, -1f, float.NaN, 2f, 0f, 3f, -2f, 4f, 1f, float.NaN, -3f }).reshape(1, 1, 11).requires_grad_();
        using var output = before.relu();
        using var upstream = arange(1, 12, ScalarType.Float32).reshape(1, 1, 11);
        output.backward([upstream]);
        using var gradient = upstream.clone();

        using var sums = ReluGradient.MaskAndSum(gradient, output.detach());

        // Autograd's ReLU zeroes the gradient where the output is at most 0, so it passes at a NaN output. With one row
        // the bias gradient is the masked gradient itself.
        Assert.Equal(before.grad!.data<float>().ToArray(), gradient.data<float>().ToArray());
        Assert.Equal(3f, gradient[0, 0, 2].item<float>());
        Assert.Equal(10f, gradient[0, 0, 9].item<float>());
        Assert.Equal(gradient.data<float>().ToArray(), sums.data<float>().ToArray());
    }

    [Fact]
    public void Applies_RejectsTransposedViews()
    {
        using var output = zeros(2, 8, 4);
        using var transposed = zeros(2, 4, 8).transpose(1, 2);

        Assert.False(ReluGradient.Applies(transposed, output));
        Assert.False(ReluGradient.Applies(output, transposed));
    }
}
