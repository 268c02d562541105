using RandomFit.Training.Data;

namespace RandomFit.Training.Specs;

public static partial class SpecValidator
{
    // Ten classes keep the random 5x5 class templates of structured inputs far apart from each other.
    private const int StructuredMaxClasses = 10;

    private static void ValidateData(
        DataSpec? data,
        LimitsOptions limits,
        IDatasetStore? datasets,
        string path,
        ValidationErrors errors)
    {
        if (data is null)
        {
            errors.Add(path, "Data is required: give at least shape and trainSamples.");
            return;
        }

        if (data.Shape is null)
        {
            errors.Add($"{path}.shape", "Shape is required: give channels, height and width.");
        }
        else
        {
            ValidateShape(data.Shape, $"{path}.shape", required: true, errors);
        }

        if (data.TrainSamples is null)
        {
            errors.Add($"{path}.trainSamples", "Train samples is required: give a whole number of at least 1.");
        }

        ValidateDataFields(
            new DataCondition
            {
                TrainSamples = data.TrainSamples,
                TestSamples = data.TestSamples,
                Classes = data.Classes,
                Inputs = data.Inputs,
                Labels = data.Labels,
                Corruption = data.Corruption,
            },
            datasets,
            path,
            errors);
        ValidateCombinedData(data.WithCondition(null), limits, datasets, path, errors);

        var conditions = data.Conditions ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var conditionPath = $"{path}.conditions[{i}]";
            if (condition is null)
            {
                errors.Add(conditionPath, "Condition is required; remove the empty entry.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(condition.Name))
            {
                errors.Add(
                    $"{conditionPath}.name",
                    $"Condition name is required: give 1 to {MaxNameLength} characters, unique among the conditions.");
            }
            else if (!names.Add(condition.Name))
            {
                errors.Add(
                    $"{conditionPath}.name",
                    $"Condition name {EchoedText.Quote(condition.Name, '"')} appears more than once; "
                    + "condition names must be unique.");
            }
            else if (NamedTextProblem("Condition name", condition.Name) is { } problem)
            {
                errors.Add($"{conditionPath}.name", problem);
            }

            if (condition.Shape is not null)
            {
                ValidateShape(condition.Shape, $"{conditionPath}.shape", required: false, errors);
            }

            ValidateDataFields(condition, datasets, conditionPath, errors);
            ValidateCombinedData(data.WithCondition(condition), limits, datasets, conditionPath, errors);
        }
    }

    private static void ValidateShape(ShapeSpec shape, string path, bool required, ValidationErrors errors)
    {
        CheckDimension(shape.Channels, "Channels", MaxChannels, $"{path}.channels", required, errors);
        CheckDimension(shape.Height, "Height", MaxHeight, $"{path}.height", required, errors);
        CheckDimension(shape.Width, "Width", MaxWidth, $"{path}.width", required, errors);
    }

    private static void CheckDimension(int? value, string label, int max, string key, bool required, ValidationErrors errors)
    {
        if (value is null && required)
        {
            errors.Add(key, $"{label} is required: give a whole number from 1 to {Number(max)}.");
        }

        CheckRange(value, 1, max, label, key, errors);
    }

    // Fields a condition may override, checked where they are written; null fields are not set there.
    private static void ValidateDataFields(DataCondition fields, IDatasetStore? datasets, string path, ValidationErrors errors)
    {
        if (fields.TrainSamples < 1)
        {
            errors.Add($"{path}.trainSamples", $"Train samples must be at least 1; got {Number(fields.TrainSamples.Value)}.");
        }

        if (fields.TestSamples < 0)
        {
            errors.Add($"{path}.testSamples", $"Test samples must be at least 0; got {Number(fields.TestSamples.Value)}.");
        }

        CheckRange(fields.Classes, 2, 1000, "Classes", $"{path}.classes", errors);
        if (fields.Inputs is InputKind.File && datasets is null)
        {
            errors.Add(
                $"{path}.inputs",
                $"Inputs {Quote(fields.Inputs.Value)} are not supported by this server yet; use uniform or normal.");
        }

        if (fields.Corruption is { } corruption && !(corruption >= 0 && corruption <= 1))
        {
            errors.Add($"{path}.corruption", $"Corruption must be between 0 and 1; got {Number(corruption)}.");
        }
    }

    // Checks that involve several fields, on the data a run actually gets (the experiment's data with a condition applied).
    private static void ValidateCombinedData(
        DataSpec data,
        LimitsOptions limits,
        IDatasetStore? datasets,
        string path,
        ValidationErrors errors)
    {
        if (data.TrainSamples is { } train && train >= 1 && data.TestSamples >= 0 && train + (long)data.TestSamples > limits.MaxSamples)
        {
            errors.Add(
                path,
                $"Train and test samples add up to {Number(train + (long)data.TestSamples)}; "
                + $"the limit is {Number(limits.MaxSamples)} (RandomFit:Limits:MaxSamples).");
        }

        if (data.Inputs == InputKind.Structured && data.Classes > StructuredMaxClasses)
        {
            errors.Add(
                $"{path}.classes",
                $"Structured inputs support 2 to {StructuredMaxClasses} classes; got {Number(data.Classes)}.");
        }

        // Uniform and normal inputs carry no class of their own, so only random labels mean anything for them.
        if (data.Labels is LabelKind.True or LabelKind.Corrupted && data.Inputs is InputKind.Uniform or InputKind.Normal)
        {
            errors.Add(
                $"{path}.labels",
                $"Labels {Quote(data.Labels)} need inputs with a true class; use inputs \"structured\" or \"file\", "
                + $"or labels \"random\" (got inputs {Quote(data.Inputs)}).");
        }

        if (data.File is not null && data.Inputs != InputKind.File)
        {
            errors.Add($"{path}.file", $"File applies only when inputs is \"file\"; got inputs {Quote(data.Inputs)}.");
        }

        if (data.Inputs == InputKind.File && datasets is not null)
        {
            ValidateFile(data, datasets, path, errors);
        }
    }

    // Whether the data a run gets has a shape within the limits, so the conv blocks can be checked against it.
    private static bool HasUsableShape(DataSpec data) =>
        data.Shape is { Channels: >= 1 and <= MaxChannels, Height: >= 1 and <= MaxHeight, Width: >= 1 and <= MaxWidth };

    // Whether the data a run gets has a usable shape, sample count and class count, so model checks can use it.
    private static bool IsUsable(DataSpec data) =>
        HasUsableShape(data)
        && data.TrainSamples >= 1
        && data.TestSamples >= 0
        && data.Classes is >= 2 and <= 1000;
}
