namespace RandomFit.Training.Specs;

/// <summary>Resolves the effective settings of one run from an experiment spec.</summary>
public static class SpecResolution
{
    /// <summary>
    /// Merges a condition into the experiment's data: every field the condition sets replaces the data's value,
    /// shape fields one by one. A condition that sets inputs other than <c>file</c> drops the data's dataset, since
    /// a null field counts as left out and could not unset it. The result carries no conditions of its own.
    /// </summary>
    public static DataSpec WithCondition(this DataSpec data, DataCondition? condition)
    {
        if (condition is null)
        {
            return data with { Conditions = null };
        }

        var shape = data.Shape ?? new ShapeSpec();
        return new DataSpec
        {
            Shape = condition.Shape is null ? shape : new ShapeSpec
            {
                Channels = condition.Shape.Channels ?? shape.Channels,
                Height = condition.Shape.Height ?? shape.Height,
                Width = condition.Shape.Width ?? shape.Width,
            },
            TrainSamples = condition.TrainSamples ?? data.TrainSamples,
            TestSamples = condition.TestSamples ?? data.TestSamples,
            Classes = condition.Classes ?? data.Classes,
            Inputs = condition.Inputs ?? data.Inputs,
            Labels = condition.Labels ?? data.Labels,
            Corruption = condition.Corruption ?? data.Corruption,
            CorruptTest = condition.CorruptTest ?? data.CorruptTest,
            Pixels = condition.Pixels ?? data.Pixels,
            Standardize = condition.Standardize ?? data.Standardize,
            File = condition.File ?? (condition.Inputs is { } inputs && inputs != InputKind.File ? null : data.File),
            Conditions = null,
        };
    }

    /// <summary>
    /// Returns the data of the named condition merged into the experiment's data, or the experiment's data
    /// when <paramref name="conditionName"/> is null. Throws ArgumentException for an unknown condition.
    /// </summary>
    public static DataSpec ResolveData(this ExperimentSpec spec, string? conditionName)
    {
        if (spec.Data is null)
        {
            throw new ArgumentException("The spec has no data.", nameof(spec));
        }

        return spec.TryResolveData(conditionName)
            ?? throw new ArgumentException($"The spec has no data condition named \"{conditionName}\".", nameof(conditionName));
    }

    /// <summary>
    /// Returns the data as <see cref="ResolveData"/> does, or null when the spec has no data or no condition named
    /// <paramref name="conditionName"/>, such as the spec of a deleted experiment.
    /// </summary>
    public static DataSpec? TryResolveData(this ExperimentSpec spec, string? conditionName)
    {
        if (spec.Data is not { } data)
        {
            return null;
        }

        if (conditionName is null)
        {
            return data.WithCondition(null);
        }

        var condition = data.Conditions?.FirstOrDefault(c => c.Name == conditionName);
        return condition is null ? null : data.WithCondition(condition);
    }

    /// <summary>
    /// Returns the model with this name. Throws InvalidOperationException when the spec has none, and its message
    /// is shown as the run's error.
    /// </summary>
    public static ModelSpec FindModel(this ExperimentSpec spec, string modelName) =>
        spec.Models?.FirstOrDefault(m => m.Name == modelName)
        ?? throw new InvalidOperationException($"The spec has no model named \"{modelName}\".");

    /// <summary>The weight decay a model trains with: its own value, else the training value.</summary>
    public static double EffectiveWeightDecay(this ModelSpec model, TrainingSpec training) =>
        model.WeightDecay ?? training.WeightDecay;
}
