using RandomFit.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>Builds CNNs and MLPs from specs.</summary>
public static class ModelBuilder
{
    /// <summary>
    /// Builds a model on the CPU and initializes its weights from <paramref name="initGenerator"/>.
    /// Dropout masks come from <paramref name="dropoutGenerator"/>, which must live on the device the model will run on.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Build(
        ModelSpec model,
        DataSpec data,
        Generator initGenerator,
        Generator dropoutGenerator)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        nn.Module<Tensor, Tensor> module = model.Kind switch
        {
            ModelKind.Cnn => new Cnn(model, shape, data.Classes, dropoutGenerator),
            ModelKind.Mlp => new Mlp(model, shape, data.Classes, dropoutGenerator),
            _ => throw new ArgumentException("The model has no kind.", nameof(model)),
        };

        WeightInit.Apply(module, model.Init, initGenerator);
        return module;
    }

    /// <summary>
    /// Counts the trainable parameters of a model on this data, without allocating tensors. Returns
    /// <see cref="long.MaxValue"/> when the count does not fit in a long, which one conv block can reach, because a
    /// kernel of up to 2^31 - 1 with same padding fits any input.
    /// </summary>
    public static long CountParameters(ModelSpec model, DataSpec data)
    {
        try
        {
            return SumParameters(model, data);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    private static long SumParameters(ModelSpec model, DataSpec data)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        checked
        {
            long count = 0;
            IReadOnlyList<int> widths;
            if (model.Kind == ModelKind.Cnn)
            {
                var inChannels = (long)FeatureMaps.Require(shape).Channels;
                foreach (var conv in model.Conv ?? [])
                {
                    var filters = (long)conv.Filters!.Value;
                    var kernel = (long)conv.Kernel!.Value;
                    count += filters * inChannels * kernel * kernel + filters;
                    count += model.BatchNorm ? 2 * filters : 0;
                    inChannels = filters;
                }

                widths = model.Dense ?? [];
            }
            else
            {
                widths = model.Hidden ?? [];
            }

            var inFeatures = FeatureMaps.FlattenWidth(model, shape);
            foreach (var width in widths)
            {
                count += inFeatures * width + width;
                count += model.BatchNorm ? 2L * width : 0;
                inFeatures = width;
            }

            var outputs = FeatureMaps.OutputUnits(data.Classes);
            return count + inFeatures * outputs + outputs;
        }
    }

    /// <summary>
    /// Counts the floating-point operations of one forward pass of one sample, without allocating tensors. Each
    /// multiply-add of a convolution or a dense layer (the output layer included) counts as 2 FLOPs. Biases,
    /// activations, pooling, batch norm and dropout are not counted, because each costs at most a few operations
    /// per value, which is small beside the multiply-adds.
    /// </summary>
    public static long CountFlops(ModelSpec model, DataSpec data)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        long multiplyAdds = 0;
        IReadOnlyList<int> widths = model.Hidden ?? [];
        if (model.Kind == ModelKind.Cnn)
        {
            var inChannels = (long)FeatureMaps.Require(shape).Channels;
            var blocks = FeatureMaps.Trace(model, shape);
            var convs = model.Conv ?? [];
            for (var i = 0; i < blocks.Count; i++)
            {
                var block = blocks[i];
                var kernel = (long)convs[i].Kernel!.Value;
                var outputs = (long)block.Channels * block.ConvHeight * block.ConvWidth;
                multiplyAdds += outputs * inChannels * kernel * kernel;
                inChannels = block.Channels;
            }

            widths = model.Dense ?? [];
        }

        var inFeatures = FeatureMaps.FlattenWidth(model, shape);
        foreach (var width in widths)
        {
            multiplyAdds += inFeatures * width;
            inFeatures = width;
        }

        multiplyAdds += inFeatures * FeatureMaps.OutputUnits(data.Classes);
        return 2 * multiplyAdds;
    }

    /// <summary>Appends dense layers (linear, optional batch norm, ReLU, optional dropout), then the output layer.</summary>
    internal static void AppendDenseLayers(
        List<(string, nn.Module<Tensor, Tensor>)> layers,
        long inFeatures,
        IReadOnlyList<int> widths,
        ModelSpec model,
        int classes,
        Generator dropoutGenerator)
    {
        for (var i = 0; i < widths.Count; i++)
        {
            var name = i + 1;
            layers.Add(($"dense{name}", nn.Linear(inFeatures, widths[i])));
            if (model.BatchNorm)
            {
                layers.Add(($"norm{name}", nn.BatchNorm1d(widths[i])));
            }

            layers.Add(($"relu{name}", nn.ReLU()));
            if (model.Dropout > 0)
            {
                layers.Add(($"dropout{name}", new SeededDropout(model.Dropout, dropoutGenerator)));
            }

            inFeatures = widths[i];
        }

        layers.Add(("output", nn.Linear(inFeatures, FeatureMaps.OutputUnits(classes))));
    }
}
