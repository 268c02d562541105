using RandomFit.Training.Specs;

namespace RandomFit.Training.Models;

/// <summary>Sizes of one conv block's feature maps, in the block's order: input, after the convolution, after pooling.</summary>
public sealed record ConvBlockShape(
    int InputHeight,
    int InputWidth,
    int ConvHeight,
    int ConvWidth,
    int OutputHeight,
    int OutputWidth,
    int Channels);

/// <summary>Feature-map arithmetic shared by validation, parameter counting and model building.</summary>
public static class FeatureMaps
{
    /// <summary>Side of a convolution's output: unchanged with <c>same</c> padding, <c>size - kernel + 1</c> with <c>valid</c>.</summary>
    public static int ConvOutput(int size, int kernel, Padding padding) =>
        padding == Padding.Same ? size : size - kernel + 1;

    /// <summary>Side after pooling with stride equal to the pool size, rounding down as PyTorch and Keras do.</summary>
    public static int PoolOutput(int size, PoolKind pool, int poolSize) =>
        pool == PoolKind.None ? size : size / poolSize;

    /// <summary>
    /// Traces the feature maps of a CNN's conv blocks on this input shape. Throws ArgumentException when a
    /// required field is missing or a map shrinks to nothing; the validator reports those cases first.
    /// </summary>
    public static IReadOnlyList<ConvBlockShape> Trace(ModelSpec model, ShapeSpec shape)
    {
        var (channels, height, width) = Require(shape);
        var blocks = new List<ConvBlockShape>();
        foreach (var conv in model.Conv ?? [])
        {
            var filters = conv.Filters ?? throw new ArgumentException("A conv block has no filters.");
            var kernel = conv.Kernel ?? throw new ArgumentException("A conv block has no kernel.");
            var convHeight = ConvOutput(height, kernel, conv.Padding);
            var convWidth = ConvOutput(width, kernel, conv.Padding);
            var outHeight = PoolOutput(convHeight, conv.Pool, conv.PoolSize);
            var outWidth = PoolOutput(convWidth, conv.Pool, conv.PoolSize);
            if (convHeight < 1 || convWidth < 1 || outHeight < 1 || outWidth < 1)
            {
                throw new ArgumentException($"Conv block {blocks.Count + 1} shrinks its feature map to nothing.");
            }

            blocks.Add(new ConvBlockShape(height, width, convHeight, convWidth, outHeight, outWidth, filters));
            (channels, height, width) = (filters, outHeight, outWidth);
        }

        return blocks;
    }

    /// <summary>Width of the vector the dense layers (or the MLP's first hidden layer) receive.</summary>
    public static long FlattenWidth(ModelSpec model, ShapeSpec shape)
    {
        var (channels, height, width) = Require(shape);
        if (model.Kind != ModelKind.Cnn)
        {
            return (long)channels * height * width;
        }

        var last = Trace(model, shape)[^1];
        return model.GlobalPool ? last.Channels : (long)last.Channels * last.OutputHeight * last.OutputWidth;
    }

    /// <summary>Units of the output layer: one logit for two classes, else one per class.</summary>
    public static int OutputUnits(int classes) => classes == 2 ? 1 : classes;

    internal static (int Channels, int Height, int Width) Require(ShapeSpec shape) =>
        (shape.Channels ?? throw new ArgumentException("The shape has no channels."),
         shape.Height ?? throw new ArgumentException("The shape has no height."),
         shape.Width ?? throw new ArgumentException("The shape has no width."));
}
