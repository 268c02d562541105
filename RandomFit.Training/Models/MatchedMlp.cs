using RandomFit.Training.Specs;

namespace RandomFit.Training.Models;

/// <summary>Sizing of an MLP with one hidden layer to a given parameter count, for comparing it with a CNN.</summary>
public static class MatchedMlp
{
    /// <summary>
    /// Returns the hidden-layer width (at least 1) whose one-hidden-layer MLP on <paramref name="data"/> has the
    /// parameter count closest to <paramref name="targetParameters"/>; on a tie the narrower width wins. Batch norm
    /// and dropout are not used, so the count is the linear layers' weights and biases.
    /// </summary>
    public static int WidthFor(long targetParameters, DataSpec data)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        var (channels, height, width) = FeatureMaps.Require(shape);
        var inputs = (long)channels * height * width;
        var outputs = (long)FeatureMaps.OutputUnits(data.Classes);

        // count(w) = inputs*w + w (hidden layer) + w*outputs + outputs (output layer) = step*w + outputs.
        var step = inputs + 1 + outputs;
        var below = Math.Max(1, (targetParameters - outputs) / step);
        var above = below + 1;
        var best = Math.Abs(step * below + outputs - targetParameters) <= Math.Abs(step * above + outputs - targetParameters)
            ? below
            : above;
        return (int)Math.Min(best, int.MaxValue);
    }

    /// <summary>Creates the spec of an MLP with one hidden layer sized by <see cref="WidthFor"/>.</summary>
    public static ModelSpec For(long targetParameters, DataSpec data, string name) => new()
    {
        Name = name,
        Kind = ModelKind.Mlp,
        Hidden = [WidthFor(targetParameters, data)],
    };
}
