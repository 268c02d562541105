using RandomFit.Training.Data;

namespace RandomFit.Training.Specs;

public static partial class SpecValidator
{
    /// <summary>
    /// Validates a spec like <see cref="Validate(ExperimentSpec, LimitsOptions, string)"/>, and checks
    /// <c>inputs: "file"</c> data against the uploaded datasets in <paramref name="datasets"/>: the id exists, the
    /// declared shape matches the dataset's samples, and the requested samples and classes fit it. Without a store,
    /// file inputs are rejected.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(
        ExperimentSpec spec,
        LimitsOptions limits,
        IDatasetStore? datasets,
        string prefix = "spec")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new ValidationErrors();

        ValidateName(spec.Name, $"{prefix}.name", errors);
        ValidateData(spec.Data, limits, datasets, $"{prefix}.data", errors);
        ValidateTraining(spec.Training, limits, $"{prefix}.training", errors);
        ValidateSeeds(spec.Seeds, limits, $"{prefix}.seeds", errors);
        ValidateModels(spec, limits, prefix, errors);
        return errors.ToDictionary();
    }

    /// <summary>
    /// Returns why a dataset's inputs do not fit the declared sample shape, or null when they do. The message names
    /// the expected [N, C, H, W] and the shape given, and spots two common slips: one image-shaped array passed as
    /// the whole dataset, and channels-last data.
    /// </summary>
    public static string? DescribeShapeMismatch(DatasetInfo dataset, int channels, int height, int width)
    {
        var sample = dataset.SampleShape;
        if (sample.Channels == channels && sample.Height == height && sample.Width == width)
        {
            return null;
        }

        var inputShape = dataset.InputShape.ToArray();
        var inputText = ArrayData.Format(inputShape);
        var expected = $"[N, {channels}, {height}, {width}]";
        long[] channelsLast = [height, width, channels];
        long[] channelsFirst = [channels, height, width];
        if (inputShape.Length == 3 && (inputShape.SequenceEqual(channelsLast) || inputShape.SequenceEqual(channelsFirst)))
        {
            return $"x has shape {inputText}; expected {expected} (N samples, channels first). "
                + $"A single image-shaped array is one sample, not {inputShape[0]}.";
        }

        if (inputShape.Length == 4 && inputShape.AsSpan(1).SequenceEqual(channelsLast))
        {
            return $"x has shape {inputText}, which looks channels-last; expected {expected}. "
                + "Transpose it to channels-first (np.transpose(x, (0, 3, 1, 2))).";
        }

        var oneChannel = channels == 1 ? $", or [N, {height}, {width}]" : "";
        return $"x has shape {inputText}; expected {expected}{oneChannel} (N samples, channels first).";
    }

    // Checks file inputs against the stored dataset: its id, sample shape, sample counts and label range.
    private static void ValidateFile(DataSpec data, IDatasetStore datasets, string path, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(data.File))
        {
            errors.Add($"{path}.file", "File is required when inputs is \"file\": give the id that POST /api/datasets returned.");
            return;
        }

        var dataset = datasets.Find(data.File);
        if (dataset is null)
        {
            errors.Add(
                $"{path}.file",
                $"Dataset {EchoedText.Quote(data.File, '"')} was not found; "
                + "upload it with POST /api/datasets and use the id it returns.");
            return;
        }

        // Keyed on the file rather than the shape, because the message describes x and how to fix the data. The
        // new-experiment page shows it beside the dataset picker, and a shape key would block its parameter counts.
        if (data.Shape is { Channels: { } channels, Height: { } height, Width: { } width }
            && DescribeShapeMismatch(dataset, channels, height, width) is { } mismatch)
        {
            errors.Add($"{path}.file", mismatch);
        }

        if (data.TrainSamples is { } train && train >= 1 && data.TestSamples >= 0)
        {
            CheckFileSamples(dataset, train, data.TestSamples, path, errors);
        }

        // Random labels are redrawn over the spec's classes, so only labels taken from y must fit them.
        if (data.Labels != LabelKind.Random && data.Classes < dataset.Classes)
        {
            errors.Add(
                $"{path}.classes",
                $"Dataset \"{dataset.Id}\" has labels up to {dataset.Classes - 1}, so classes must be at least "
                + $"{dataset.Classes}; got {Number(data.Classes)}.");
        }
    }

    private static void CheckFileSamples(DatasetInfo dataset, int train, int test, string path, ValidationErrors errors)
    {
        if (dataset.TestSamples == 0)
        {
            // Without x_test the test split is the samples of x after the training split.
            if (train + (long)test > dataset.Samples)
            {
                errors.Add(
                    path,
                    $"Train and test samples add up to {Number(train + (long)test)}, but dataset \"{dataset.Id}\" has "
                    + $"{Number(dataset.Samples)} samples in x and no x_test; the test split takes the samples of x "
                    + "after the training split.");
            }

            return;
        }

        if (train > dataset.Samples)
        {
            errors.Add(
                $"{path}.trainSamples",
                $"Train samples must be at most {Number(dataset.Samples)}, the samples in x of dataset "
                + $"\"{dataset.Id}\"; got {Number(train)}.");
        }

        if (test > dataset.TestSamples)
        {
            errors.Add(
                $"{path}.testSamples",
                $"Test samples must be at most {Number(dataset.TestSamples)}, the samples in x_test of dataset "
                + $"\"{dataset.Id}\"; got {Number(test)}.");
        }
    }
}
