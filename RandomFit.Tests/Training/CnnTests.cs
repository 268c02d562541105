using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Padding = RandomFit.Training.Specs.Padding;

namespace RandomFit.Tests.Training;

/// <summary>The separate model's conv blocks: "same" padding with an even kernel, padded before the convolution.</summary>
[Collection(TorchCollection.Name)]
public sealed class CnnTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Cnn_SamePaddingEvenKernel_ConvolvesWithoutPadding(int kernel)
    {
        using var cnn = BuildCnn(kernel, channels: 3);

        var conv = Assert.Single(cnn.modules().OfType<Conv2d>());

        Assert.NotEqual(TorchSharp.Padding.Same, conv.padding_type);
        Assert.Single(cnn.modules().OfType<ZeroPad2d>());
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 3)]
    public void Cnn_SamePaddingEvenKernel_MatchesSameConvolution(int kernel, int channels)
    {
        using var cnn = BuildCnn(kernel, channels);
        using var generator = new Generator(5, CPU);
        using var images = randn(6, channels, 7, 7, generator: generator);

        using var output = cnn.call(images);

        // The conv block and output layer computed with libtorch's own "same" padding on the same weights.
        var conv = cnn.modules().OfType<Conv2d>().Single();
        var dense = cnn.modules().OfType<Linear>().Single();
        using var scope = NewDisposeScope();
        using var sameConv = nn.Conv2d(channels, 5, kernel, TorchSharp.Padding.Same);
        using (no_grad())
        {
            sameConv.weight.copy_(conv.weight);
            sameConv.bias!.copy_(conv.bias!);
        }

        var mapped = max_pool2d(sameConv.call(images), [2, 2]).relu();
        var expected = linear(mapped.flatten(1), dense.weight, dense.bias!);
        var difference = (output - expected).abs().max().item<float>();
        Assert.True(difference < 1e-6f, $"Outputs differ by {difference}.");
        Assert.True(expected.abs().max().item<float>() > 1e-3f, "The reference output is all zeros.");
    }

    [Fact]
    public void Cnn_EvenKernelParameterNames()
    {
        using var cnn = BuildCnn(kernel: 4, channels: 3);

        var parameters = cnn.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]");

        // These are the names and shapes that checkpoints written before the padding layer contain.
        Assert.Equal(
            [
                "features.conv1.weight [5, 3, 4, 4]",
                "features.conv1.bias [5]",
                "classifier.output.weight [1, 45]",
                "classifier.output.bias [1]",
            ],
            parameters);
    }

    [Fact]
    public void Cnn_EvenKernelLayout()
    {
        using var cnn = BuildCnn(kernel: 4, channels: 3);
        using var images = randn(2, 3, 7, 7);
        using var laidOut = ChannelsLast.From(images);
        var pad = cnn.modules().OfType<ZeroPad2d>().Single();

        using var padded = pad.call(laidOut);

        Assert.Equal(1, padded.stride(1));
    }

    private static nn.Module<Tensor, Tensor> BuildCnn(int kernel, int channels)
    {
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv = [new ConvSpec { Filters = 5, Kernel = kernel, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 }],
        };
        var data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = channels, Height = 7, Width = 7 },
            TrainSamples = 6,
            Classes = 2,
        };
        using var generator = new Generator(3, CPU);
        return ModelBuilder.Build(model, data, generator, generator);
    }
}
