using System.Runtime.Intrinsics;
using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>
/// The loops run on any machine: without 512-bit vectors in hardware .NET computes the same vector operations in
/// software, so these tests check the arithmetic even where <see cref="DenseKernels.Applies"/> is false.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class DenseKernelsTests
{
    // Seeds, rows, inputs, outputs: a training batch of the memorization MLP; 61 rows leave a row past the last tile;
    // 300 inputs take two passes of the summed index; 4 rows and 7 inputs are the smallest case.
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 4, 64, 192, 256 },
        { 2, 61, 300, 128 },
        { 1, 4, 7, 64 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Affine_MatchesLibtorch(int seeds, int rows, int inputs, int outputs)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7, CPU);

        // A view of rows 2 .. rows + 1 of each seed, so neither the seed stride nor the first row is the plain one.
        var input = randn([seeds, rows + 3, inputs], generator: generator).narrow(1, 2, rows);
        var weight = randn([seeds, inputs, outputs], generator: generator);
        var bias = randn([seeds, 1, outputs], generator: generator);
        Assert.True(DenseKernels.Fits(input, weight));

        var expected = input.baddbmm(weight, bias.expand(seeds, rows, outputs));
        AssertClose(expected, DenseKernels.Affine(input, weight, bias, relu: false));
        AssertClose(expected.relu(), DenseKernels.Affine(input, weight, bias, relu: true));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightGradient_MatchesTransposedProduct(int seeds, int rows, int inputs, int outputs)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11, CPU);
        var input = randn([seeds, rows + 3, inputs], generator: generator).narrow(1, 1, rows);
        var gradient = randn([seeds, rows, outputs], generator: generator);

        var result = DenseKernels.WeightGradient(input, gradient);

        Assert.Equal([seeds, inputs, outputs], result.shape);
        AssertClose(input.transpose(1, 2).bmm(gradient), result);
    }

    [Fact]
    public void Affine_Relu_ZeroesNegativesAndKeepsNaN()
    {
        using var scope = NewDisposeScope();

        // One seed, four rows, one input: output (row, column) is input[row] * 1 + bias, bias 0.
        var input = tensor(new[] { 2f, -3f, float.NaN, 0.5f }).reshape(1, 4, 1);
        var weight = ones(1, 1, 64);
        var bias = zeros(1, 1, 64);

        var output = DenseKernels.Affine(input, weight, bias, relu: true);

        Assert.Equal(2f, output[0, 0, 63].item<float>());
        Assert.Equal(0f, output[0, 1, 0].item<float>());
        Assert.True(float.IsNaN(output[0, 2, 5].item<float>()), "A NaN before the ReLU became a number.");
        Assert.Equal(0.5f, output[0, 3, 17].item<float>());
    }

    [Fact]
    public void Fits_RejectsLayoutsTheLoopsDoNotRead()
    {
        using var scope = NewDisposeScope();
        var input = zeros(2, 8, 16);

        Assert.True(DenseKernels.Fits(input, zeros(2, 16, 64)));
        Assert.False(DenseKernels.Fits(input, zeros(2, 16, 80)), "80 outputs are not whole panels of 64.");
        Assert.False(DenseKernels.Fits(input, zeros(2, 64, 16).transpose(1, 2)), "A transposed weight is not contiguous.");
        Assert.False(DenseKernels.Fits(zeros(2, 16, 8).transpose(1, 2), zeros(2, 16, 64)), "Input rows of stride 8.");
        Assert.False(DenseKernels.Fits(input, zeros(2, 16, 64, ScalarType.Float64)), "A float64 weight.");
        Assert.False(DenseKernels.Fits(input, zeros(3, 16, 64)), "Three weight sets for two seeds.");
        Assert.False(DenseKernels.Fits(zeros(2, 8, 0), zeros(2, 0, 64)), "No inputs: Affine would write no output.");
        Assert.False(DenseKernels.Fits(zeros(2, 0, 16), zeros(2, 16, 64)), "No rows: WeightGradient would write no result.");
    }

    [Fact]
    public void Applies_OnlyWithOneLibtorchThread()
    {
        using var scope = NewDisposeScope();
        var input = zeros(2, 8, 16);
        var weight = zeros(2, 16, 64);
        var processThreads = get_num_threads();
        try
        {
            set_num_threads(2);
            Assert.False(DenseKernels.Applies(input, weight), "With 2 libtorch threads the products should stay libtorch's.");
            set_num_threads(1);
            Assert.Equal(Vector512.IsHardwareAccelerated, DenseKernels.Applies(input, weight));
        }
        finally
        {
            set_num_threads(processThreads);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        TensorAssert.Close(expected, actual, relative: 1e-5, absolute: 1e-4, "The loops' result", "libtorch's");
}
