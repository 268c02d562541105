using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Padding = RandomFit.Training.Specs.Padding;

namespace RandomFit.Tests.Training;

/// <summary>The channels-last layout of conv inputs: its strides, its values, and a CNN's output computed in it.</summary>
[Collection(TorchCollection.Name)]
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void From_Batch(int channels)
    {
        using var images = randn(4, channels, 5, 6);

        using var laidOut = ChannelsLast.From(images);

        Assert.Equal([4, channels, 5, 6], laidOut.shape);
        Assert.Equal([5 * 6 * channels, 1, 6 * channels, channels], laidOut.stride());
        Assert.True(laidOut.allclose(images, rtol: 0, atol: 0));
    }

    [Fact]
    public void From_NarrowedBatch()
    {
        using var all = randn(10, 1, 4, 4);
        using var batch = all.narrow(0, 3, 4);

        using var laidOut = ChannelsLast.From(batch);

        Assert.True(laidOut.allclose(batch, rtol: 0, atol: 0));
        Assert.Equal(1, laidOut.stride(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Cnn_TwoConvBlocks(int channels)
    {
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 6, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 5, Kernel = 3, Padding = Padding.Valid, Pool = PoolKind.None },
            ],
            Dense = [7],
        };
        var data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = channels, Height = 8, Width = 8 },
            TrainSamples = 16,
            Classes = 3,
        };
        using var generator = new Generator(3, CPU);
        using var cnn = ModelBuilder.Build(model, data, generator, generator);
        using var images = randn(16, channels, 8, 8);

        using var output = cnn.call(images);

        // The same layers computed on the contiguous input. Flattening must see channel, row, column order.
        var convs = cnn.modules().OfType<Conv2d>().ToList();
        var dense = cnn.modules().OfType<Linear>().ToList();
        using var scope = NewDisposeScope();
        var first = max_pool2d(conv2d(images, convs[0].weight!, convs[0].bias!, padding: [1, 1]), [2, 2]).relu();
        var second = conv2d(first, convs[1].weight!, convs[1].bias!).relu();
        var hidden = linear(second.flatten(1), dense[0].weight!, dense[0].bias!).relu();
        var expected = linear(hidden, dense[1].weight!, dense[1].bias!);
        var difference = (output - expected).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"Outputs differ by {difference}.");
        Assert.True(expected.abs().max().item<float>() > 1e-3f, "The reference output is all zeros.");
    }
}
