using System.Globalization;
using RandomFit.Training.Specs;

namespace RandomFit.Training.Data;

/// <summary>Inputs read from a file, samples first, as float32.</summary>
/// <param name="Name">The array's name in messages: <c>x</c>, <c>x_test</c> or a file name.</param>
public sealed record InputArray(string Name, long[] Shape, float[] Values);

/// <summary>Class indices read from a file, one per sample.</summary>
/// <param name="Name">The array's name in messages: <c>y</c>, <c>y_test</c> or a file name.</param>
public sealed record LabelArray(string Name, long[] Shape, long[] Values);

/// <summary>
/// The arrays of an uploaded dataset, checked for consistency: inputs with 2 to 4 dimensions, samples within the
/// sample shape a spec allows, one label per sample, labels from 0 to <see cref="MaxLabel"/>, finite inputs, and a
/// test split shaped like the training split.
/// </summary>
public sealed class ArrayData
{
    /// <summary>The largest class index a label may have; specs allow at most 1,000 classes.</summary>
    public const long MaxLabel = 999;

    private ArrayData(InputArray inputs, LabelArray labels, InputArray? testInputs, LabelArray? testLabels)
    {
        Inputs = inputs;
        Labels = labels;
        TestInputs = testInputs;
        TestLabels = testLabels;
    }

    /// <summary>Training inputs (<c>x</c>).</summary>
    public InputArray Inputs { get; }

    /// <summary>Training labels (<c>y</c>).</summary>
    public LabelArray Labels { get; }

    /// <summary>Test inputs (<c>x_test</c>), or null when the file has none.</summary>
    public InputArray? TestInputs { get; }

    /// <summary>Test labels (<c>y_test</c>), or null when the file has none.</summary>
    public LabelArray? TestLabels { get; }

    /// <summary>Checks the arrays and combines them. Throws <see cref="DatasetFormatException"/> on the first fault.</summary>
    public static ArrayData Create(InputArray inputs, LabelArray labels, InputArray? testInputs, LabelArray? testLabels)
    {
        CheckInputs(inputs);
        CheckLabels(labels, inputs);
        if (testInputs is null != testLabels is null)
        {
            var (present, missing) = testInputs is null ? (testLabels!.Name, "x_test") : (testInputs.Name, "y_test");
            throw new DatasetFormatException(
                $"{present} is present but {missing} is missing; give both for a test split, or neither.");
        }

        if (testInputs is not null && testLabels is not null)
        {
            CheckInputs(testInputs);
            if (!testInputs.Shape.AsSpan(1).SequenceEqual(inputs.Shape.AsSpan(1)))
            {
                throw new DatasetFormatException(
                    $"{testInputs.Name} has shape {Format(testInputs.Shape)} but {inputs.Name} has shape "
                    + $"{Format(inputs.Shape)}; their samples must have the same shape.");
            }

            CheckLabels(testLabels, testInputs);
        }

        return new ArrayData(inputs, labels, testInputs, testLabels);
    }

    /// <summary>Describes the dataset for validation under <paramref name="id"/>.</summary>
    public DatasetInfo Describe(string id)
    {
        var maxLabel = Labels.Values.DefaultIfEmpty().Max();
        if (TestLabels is { Values.Length: > 0 })
        {
            maxLabel = Math.Max(maxLabel, TestLabels.Values.Max());
        }

        var testSamples = TestInputs is null ? 0 : (int)TestInputs.Shape[0];
        return new DatasetInfo(id, Inputs.Shape, testSamples, (int)Math.Max(2, maxLabel + 1));
    }

    /// <summary>Writes a shape as [100, 3, 32, 32].</summary>
    public static string Format(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static void CheckInputs(InputArray inputs)
    {
        if (inputs.Shape.Length is < 2 or > 4 || inputs.Shape[0] < 1)
        {
            throw new DatasetFormatException(
                $"{inputs.Name} has shape {Format(inputs.Shape)}; expected samples first with 1 to 3 more dimensions: "
                + "[N, C, H, W], [N, H, W] or [N, features], with N at least 1.");
        }

        if (inputs.Shape.AsSpan(1).Contains(0L))
        {
            throw new DatasetFormatException($"{inputs.Name} has shape {Format(inputs.Shape)}; a sample must not be empty.");
        }

        // A channels-last array read as channels first would train on scrambled images without any error, and a spec
        // that copies the reported shape would match it, so it is rejected here.
        if (LooksChannelsLast(inputs.Shape))
        {
            long[] channelsFirst = [inputs.Shape[0], inputs.Shape[3], inputs.Shape[1], inputs.Shape[2]];
            throw new DatasetFormatException(
                $"{inputs.Name} has shape {Format(inputs.Shape)}, which looks channels-last: its last axis "
                + $"({inputs.Shape[3]}) is a usual channel count and its second ({inputs.Shape[1]}) is not. "
                + $"RandomFit reads [N, C, H, W], so expected {Format(channelsFirst)} here. "
                + "Transpose it with np.transpose(x, (0, 3, 1, 2)) and upload again.");
        }

        CheckSampleShape(inputs);

        var values = inputs.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new DatasetFormatException(
                    $"{inputs.Name} contains {values[i].ToString(CultureInfo.InvariantCulture)} at flat index "
                    + $"{i.ToString("N0", CultureInfo.InvariantCulture)}; inputs must be finite numbers.");
            }
        }
    }

    // A spec's data.shape must equal the samples' shape, so samples beyond its limits could never be trained on.
    private static void CheckSampleShape(InputArray inputs)
    {
        var shape = inputs.Shape;
        var (channels, height, width) = shape.Length switch
        {
            4 => (shape[1], shape[2], shape[3]),
            3 => (1L, shape[1], shape[2]),
            _ => (1L, 1L, shape[1]),
        };

        var invariant = CultureInfo.InvariantCulture;
        string? problem = null;
        if (channels > SpecValidator.MaxChannels)
        {
            problem = $"each sample has {channels.ToString(invariant)} channels, but a spec's data.shape allows "
                + $"at most {SpecValidator.MaxChannels} channels.";
        }
        else if (height > SpecValidator.MaxHeight)
        {
            problem = $"each sample has height {height.ToString(invariant)}, but a spec's data.shape allows "
                + $"a height of at most {SpecValidator.MaxHeight}.";
        }
        else if (width > SpecValidator.MaxWidth)
        {
            var features = shape.Length == 2 ? " (the features of [N, features] are the width)" : "";
            problem = $"each sample has width {width.ToString(invariant)}{features}, but a spec's data.shape allows "
                + $"a width of at most {SpecValidator.MaxWidth}.";
        }

        if (problem is not null)
        {
            throw new DatasetFormatException(
                $"{inputs.Name} has shape {Format(shape)}, so {problem} Reduce that dimension and upload again.");
        }
    }

    // A guess: the last axis has a usual channel count (1, 3 or 4) and the second, larger than 4, does not.
    private static bool LooksChannelsLast(long[] shape) =>
        shape.Length == 4 && shape[3] is 1 or 3 or 4 && shape[1] > 4;

    private static void CheckLabels(LabelArray labels, InputArray inputs)
    {
        if (labels.Shape.Length != 1)
        {
            throw new DatasetFormatException(
                $"{labels.Name} has shape {Format(labels.Shape)}; expected [N], one class index per sample.");
        }

        if (labels.Shape[0] != inputs.Shape[0])
        {
            throw new DatasetFormatException(
                $"{inputs.Name} has {Count(inputs.Shape[0])} samples but {labels.Name} has {Count(labels.Shape[0])}.");
        }

        var values = labels.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is < 0 or > MaxLabel)
            {
                throw new DatasetFormatException(
                    $"{labels.Name} contains label {values[i].ToString(CultureInfo.InvariantCulture)} at index "
                    + $"{Count(i)}; labels must be class indices from 0 to {MaxLabel}.");
            }
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
