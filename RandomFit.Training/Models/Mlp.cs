using RandomFit.Training.Specs;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>A multilayer perceptron: flatten, hidden layers with ReLU, then the output layer.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    // Kept in a Sequential so that every layer registers: a plain list would hide its layers from the optimizer.
    private readonly nn.Module<Tensor, Tensor> layers;

    /// <summary>Creates the layers for samples of <paramref name="shape"/> and <paramref name="classes"/> classes.</summary>
    public Mlp(ModelSpec spec, ShapeSpec shape, int classes, Generator dropoutGenerator)
        : base(nameof(Mlp))
    {
        var list = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()) };
        ModelBuilder.AppendDenseLayers(
            list,
            FeatureMaps.FlattenWidth(spec, shape),
            spec.Hidden ?? [],
            spec,
            classes,
            dropoutGenerator);
        layers = nn.Sequential(list);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => layers.call(input);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
