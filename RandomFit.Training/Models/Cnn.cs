using RandomFit.Training.Specs;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>
/// A convolutional network: conv blocks (convolution, optional batch norm, ReLU, pooling, optional dropout),
/// optional global average pooling, flatten, dense layers with ReLU, then the output layer.
/// </summary>
public sealed class Cnn : nn.Module<Tensor, Tensor>
{
    // Sequentials register every layer; layers kept in a plain list would never train.
    private readonly nn.Module<Tensor, Tensor> features;
    private readonly nn.Module<Tensor, Tensor> classifier;

    /// <summary>Creates the layers for samples of <paramref name="shape"/> and <paramref name="classes"/> classes.</summary>
    public Cnn(ModelSpec spec, ShapeSpec shape, int classes, Generator dropoutGenerator)
        : base(nameof(Cnn))
    {
        features = nn.Sequential(CreateConvBlocks(spec, shape, dropoutGenerator));

        var head = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (spec.GlobalPool)
        {
            head.Add(("globalpool", nn.AdaptiveAvgPool2d(1)));
        }

        head.Add(("flatten", nn.Flatten()));
        ModelBuilder.AppendDenseLayers(
            head,
            FeatureMaps.FlattenWidth(spec, shape),
            spec.Dense ?? [],
            spec,
            classes,
            dropoutGenerator);
        classifier = nn.Sequential(head);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var laidOut = ChannelsLast.From(input);
        using var mapped = features.call(laidOut);
        return classifier.call(mapped);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            features.Dispose();
            classifier.Dispose();
        }

        base.Dispose(disposing);
    }

    private static List<(string, nn.Module<Tensor, Tensor>)> CreateConvBlocks(
        ModelSpec spec,
        ShapeSpec shape,
        Generator dropoutGenerator)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = FeatureMaps.Require(shape).Channels;
        var convs = spec.Conv ?? [];
        for (var i = 0; i < convs.Count; i++)
        {
            var conv = convs[i];
            var name = i + 1;
            var filters = conv.Filters!.Value;
            layers.AddRange(CreateConvolution(conv, name, inChannels));
            if (spec.BatchNorm)
            {
                layers.Add(($"norm{name}", nn.BatchNorm2d(filters)));
            }

            // ReLU and max pooling commute, and with ties the gradient still reaches nothing but zeros, so max pooling
            // runs first and ReLU touches a quarter of the values (pool size 2). ReLU works in place because no
            // layer's backward pass reads its input: a convolution, batch norm and pooling keep their own inputs.
            if (conv.Pool == PoolKind.Max)
            {
                layers.Add(($"pool{name}", nn.MaxPool2d(conv.PoolSize)));
                layers.Add(($"relu{name}", nn.ReLU(inplace: true)));
            }
            else
            {
                layers.Add(($"relu{name}", nn.ReLU(inplace: true)));
                if (conv.Pool == PoolKind.Avg)
                {
                    layers.Add(($"pool{name}", nn.AvgPool2d(conv.PoolSize)));
                }
            }

            if (spec.Dropout > 0)
            {
                layers.Add(($"dropout{name}", new SeededDropout(spec.Dropout, dropoutGenerator)));
            }

            inChannels = filters;
        }

        return layers;
    }

    // Returns the convolution of a block, after a padding layer when "same" padding is uneven. The padding layer has
    // no parameters, so the block's parameters keep their names (convN.weight, convN.bias) and checkpoints load.
    private static List<(string, nn.Module<Tensor, Tensor>)> CreateConvolution(ConvSpec conv, int name, long inChannels)
    {
        var filters = conv.Filters!.Value;
        var kernel = conv.Kernel!.Value;
        if (conv.Padding != Padding.Same || kernel % 2 == 1)
        {
            var padding = conv.Padding == Padding.Same ? TorchSharp.Padding.Same : TorchSharp.Padding.Valid;
            return [($"conv{name}", nn.Conv2d(inChannels, filters, kernel, padding))];
        }

        // For an even kernel, libtorch's "same" convolution pads a copy of the input itself and prints a warning
        // about it to the console. Padding first and convolving without padding computes the same values, because
        // PyTorch's "same" also puts the odd pixel of the padding after the image.
        long before = (kernel - 1) / 2;
        long after = kernel - 1 - before;
        return
        [
            ($"pad{name}", nn.ZeroPad2d((before, after, before, after))),
            ($"conv{name}", nn.Conv2d(inChannels, filters, kernel, TorchSharp.Padding.Valid)),
        ];
    }
}
