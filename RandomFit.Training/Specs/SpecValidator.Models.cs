using RandomFit.Training.Models;

namespace RandomFit.Training.Specs;

public static partial class SpecValidator
{
    private static void ValidateModels(ExperimentSpec spec, LimitsOptions limits, string prefix, ValidationErrors errors)
    {
        var path = $"{prefix}.models";
        if (spec.Models is not { } models)
        {
            errors.Add(path, $"Models is required: give 1 to {MaxModels} models.");
            return;
        }

        if (models.Count < 1 || models.Count > MaxModels)
        {
            errors.Add(path, $"Models must have 1 to {MaxModels} entries; got {Number(models.Count)}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            var model = models[i];
            var modelPath = $"{path}[{i}]";
            if (model is null)
            {
                errors.Add(modelPath, "Model is required; remove the empty entry.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(model.Name))
            {
                errors.Add(
                    $"{modelPath}.name",
                    $"Model name is required: give 1 to {MaxNameLength} characters, unique among the models.");
            }
            else if (!names.Add(model.Name))
            {
                errors.Add(
                    $"{modelPath}.name",
                    $"Model name {EchoedText.Quote(model.Name, '"')} appears more than once; model names must be unique.");
            }
            else if (NamedTextProblem("Model name", model.Name) is { } problem)
            {
                errors.Add($"{modelPath}.name", problem);
            }

            if (spec.Training?.Execution == ExecutionMode.Stacked)
            {
                ValidateStackable(model, modelPath, errors);
            }

            if (ValidateModelFields(model, modelPath, errors) && spec.Data is not null)
            {
                foreach (var (condition, data) in DataVariants(spec.Data))
                {
                    ValidateModelOnData(model, data, condition, spec.Training, limits, modelPath, errors);
                }
            }
        }
    }

    /// <summary>
    /// Returns whether stacked execution can train <paramref name="model"/>: it uses neither batch normalization nor
    /// dropout, because a stacked cohort shares one forward pass and those would have to be split per seed.
    /// </summary>
    public static bool CanStack(ModelSpec model) => !model.BatchNorm && !(model.Dropout > 0);

    private static void ValidateStackable(ModelSpec model, string path, ValidationErrors errors)
    {
        if (model.BatchNorm)
        {
            errors.Add($"{path}.batchNorm", "Stacked execution does not support batch normalization; use separate execution.");
        }

        if (model.Dropout > 0)
        {
            errors.Add($"{path}.dropout", "Stacked execution does not support dropout; use separate execution.");
        }
    }

    // Returns whether the model is complete enough to trace its shapes and count its parameters.
    private static bool ValidateModelFields(ModelSpec model, string path, ValidationErrors errors)
    {
        if (model.Kind is null)
        {
            errors.Add($"{path}.kind", "Kind is required: use cnn or mlp.");
        }
        else if (model.Kind == ModelKind.Cnn)
        {
            if (model.Conv is not { Count: > 0 })
            {
                errors.Add($"{path}.conv", "Conv is required for a cnn model: give at least one conv block.");
            }

            if (model.Hidden is { Count: > 0 })
            {
                errors.Add($"{path}.hidden", "Hidden applies only to mlp models; use dense for a cnn model.");
            }
        }
        else
        {
            if (model.Conv is { Count: > 0 })
            {
                errors.Add($"{path}.conv", "Conv applies only to cnn models; an mlp model has hidden layers only.");
            }

            if (model.Dense is { Count: > 0 })
            {
                errors.Add($"{path}.dense", "Dense applies only to cnn models; use hidden for an mlp model.");
            }

            if (model.GlobalPool)
            {
                errors.Add($"{path}.globalPool", "Global pooling applies only to cnn models.");
            }
        }

        ValidateConvBlocks(model.Kind == ModelKind.Cnn ? model.Conv : null, path, errors);
        ValidateWidths(model.Dense, $"{path}.dense", errors);
        ValidateWidths(model.Hidden, $"{path}.hidden", errors);
        CheckFraction(model.Dropout, "Dropout", $"{path}.dropout", errors);
        CheckNonNegative(model.WeightDecay, "Weight decay", $"{path}.weightDecay", errors);
        return !errors.HasAt(path + ".kind") && !errors.HasAt(path + ".conv")
            && !errors.HasAt(path + ".dense") && !errors.HasAt(path + ".hidden");
    }

    private static void ValidateConvBlocks(IReadOnlyList<ConvSpec>? blocks, string path, ValidationErrors errors)
    {
        for (var j = 0; j < (blocks?.Count ?? 0); j++)
        {
            var conv = blocks![j];
            var blockPath = $"{path}.conv[{j}]";
            if (conv is null)
            {
                errors.Add(blockPath, "Conv block is required; remove the empty entry.");
                continue;
            }

            if (conv.Filters is null)
            {
                errors.Add(
                    $"{blockPath}.filters",
                    $"Filters is required: give a whole number from 1 to {Number(MaxFilters)}.");
            }

            CheckRange(conv.Filters, 1, MaxFilters, "Filters", $"{blockPath}.filters", errors);
            if (conv.Kernel is not { } kernel)
            {
                errors.Add(
                    $"{blockPath}.kernel",
                    "Kernel is required: give a whole number of at least 1 that fits the block's input.");
            }
            else if (kernel < 1)
            {
                errors.Add($"{blockPath}.kernel", $"Kernel must be at least 1; got {Number(kernel)}.");
            }

            if (conv.Pool != PoolKind.None && conv.PoolSize < 1)
            {
                errors.Add($"{blockPath}.poolSize", $"Pool size must be at least 1; got {Number(conv.PoolSize)}.");
            }
        }
    }

    private static void ValidateWidths(IReadOnlyList<int>? widths, string path, ValidationErrors errors)
    {
        for (var k = 0; k < (widths?.Count ?? 0); k++)
        {
            CheckRange(widths![k], 1, 65536, "Width", $"{path}[{k}]", errors);
        }
    }

    // Yields the experiment's data with a null condition name, then the data of each condition.
    private static IEnumerable<(string? Condition, DataSpec Data)> DataVariants(DataSpec data)
    {
        yield return (null, data.WithCondition(null));
        foreach (var condition in data.Conditions ?? [])
        {
            if (condition is not null)
            {
                yield return (condition.Name ?? "", data.WithCondition(condition));
            }
        }
    }

    private static void ValidateModelOnData(
        ModelSpec model,
        DataSpec data,
        string? condition,
        TrainingSpec? training,
        LimitsOptions limits,
        string path,
        ValidationErrors errors)
    {
        // Whether the conv blocks fit needs only the shape, so it is reported while other data fields are invalid.
        if (!HasUsableShape(data))
        {
            return;
        }

        var under = condition is null ? "" : $" under condition {EchoedText.Quote(condition, '"')}";
        var fits = model.Kind != ModelKind.Cnn || ValidateFit(model, data.Shape!, under, path, errors);
        if (!IsUsable(data))
        {
            return;
        }

        if (model.BatchNorm && data.TrainSamples < 2)
        {
            errors.Add($"{path}.batchNorm", $"Batch normalization needs at least 2 training samples{under}; got 1.");
        }

        if (!fits)
        {
            return;
        }

        var parameters = ModelBuilder.CountParameters(model, data);
        var subject = condition is null ? "The model" : $"Under condition {EchoedText.Quote(condition, '"')}, the model";
        if (parameters > limits.MaxParameters)
        {
            // A count past the range of a long comes back as long.MaxValue, so it is reported as a lower bound.
            var count = parameters == long.MaxValue ? $"at least {Number(parameters)}" : Number(parameters);
            errors.Add(
                path,
                $"{subject} has {count} parameters; "
                + $"the limit is {Number(limits.MaxParameters)} (RandomFit:Limits:MaxParameters).");
            return;
        }

        if (training is { BatchSize: >= 1 and <= 65536 })
        {
            var bytes = MemoryEstimator.EstimateBytes(model, data, training);
            if (bytes > limits.MaxMemoryBytes)
            {
                var run = condition is null
                    ? "A run of this model"
                    : $"Under condition {EchoedText.Quote(condition, '"')}, a run of this model";
                errors.Add(
                    path,
                    $"{run} needs an estimated {Number(bytes)} bytes (data, parameters, optimizer state and one batch of "
                    + $"activations, float32); the limit is {Number(limits.MaxMemoryBytes)} (RandomFit:Limits:MaxMemoryBytes).");
            }
        }
    }

    // Checks that every kernel and pool fits its feature map, and reports the first block that shrinks it to nothing.
    private static bool ValidateFit(ModelSpec model, ShapeSpec shape, string under, string path, ValidationErrors errors)
    {
        var (height, width) = (shape.Height!.Value, shape.Width!.Value);
        var blocks = model.Conv!;
        for (var j = 0; j < blocks.Count; j++)
        {
            var conv = blocks[j];
            var kernel = conv.Kernel!.Value;
            var source = j == 0 ? ", the sample size" : $" after block {j}";
            if (conv.Padding == Padding.Valid && (kernel > height || kernel > width))
            {
                errors.Add(
                    $"{path}.conv[{j}].kernel",
                    $"Kernel {kernel} does not fit conv block {j + 1}{under}: its input is {height}x{width}{source} "
                    + $"(valid padding needs kernel <= {Math.Min(height, width)}).");
                return false;
            }

            var convHeight = FeatureMaps.ConvOutput(height, kernel, conv.Padding);
            var convWidth = FeatureMaps.ConvOutput(width, kernel, conv.Padding);
            if (conv.Pool != PoolKind.None && (conv.PoolSize > convHeight || conv.PoolSize > convWidth))
            {
                errors.Add(
                    $"{path}.conv[{j}].poolSize",
                    $"Pool size {conv.PoolSize} does not fit conv block {j + 1}{under}: its convolution output is "
                    + $"{convHeight}x{convWidth} (pooling needs pool size <= {Math.Min(convHeight, convWidth)}).");
                return false;
            }

            height = FeatureMaps.PoolOutput(convHeight, conv.Pool, conv.PoolSize);
            width = FeatureMaps.PoolOutput(convWidth, conv.Pool, conv.PoolSize);
        }

        return true;
    }
}
