using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace RandomFit.Training.Specs;

/// <summary>Checks a spec against the contract's ranges and the configured limits.</summary>
public static partial class SpecValidator
{
    /// <summary>Maximum characters of an experiment name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Maximum models per experiment.</summary>
    public const int MaxModels = 16;

    /// <summary>Maximum <c>data.shape.channels</c>. Uploads whose samples have more are rejected too.</summary>
    public const int MaxChannels = 64;

    /// <summary>Maximum <c>data.shape.height</c>. Uploads whose samples are taller are rejected too.</summary>
    public const int MaxHeight = 1024;

    /// <summary>Maximum <c>data.shape.width</c>. Uploads whose samples are wider are rejected too.</summary>
    public const int MaxWidth = 1024;

    /// <summary>Maximum filters of one conv block.</summary>
    public const int MaxFilters = 4096;

    /// <summary>
    /// Validates a spec. Returns errors keyed by field path under <paramref name="prefix"/>
    /// (for example <c>spec.models[0].conv[1].kernel</c>); an empty dictionary when the spec is valid.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ExperimentSpec spec, LimitsOptions limits, string prefix = "spec") =>
        Validate(spec, limits, datasets: null, prefix);

    private static void ValidateName(string? name, string key, ValidationErrors errors)
    {
        if (name is not null && NameProblem(name) is { } problem)
        {
            errors.Add(key, problem);
        }
    }

    /// <summary>
    /// Returns why <paramref name="name"/> is invalid as an experiment name (blank, longer than
    /// <see cref="MaxNameLength"/>, containing a control or zero-width character, or with spaces at either end), or
    /// null when it is valid.
    /// </summary>
    public static string? NameProblem(string name) =>
        string.IsNullOrWhiteSpace(name)
            ? $"Name must not be empty; give 1 to {MaxNameLength} characters, or leave it out."
            : NamedTextProblem("Name", name);

    /// <summary>
    /// Returns why a name that is not blank is invalid (longer than <see cref="MaxNameLength"/>, containing a
    /// control or zero-width character, or with spaces at either end), or null when it is valid.
    /// <paramref name="label"/> starts the message, such as "Model name".
    /// </summary>
    private static string? NamedTextProblem(string label, string name)
    {
        var length = CharacterCount(name);
        return length > MaxNameLength
            ? $"{label} must be at most {MaxNameLength} characters; got {Number(length)}."
            : ControlCharacterProblem(label, name) ?? OuterSpaceProblem(label, name);
    }

    // Filters and links match names exactly, and list filters drop spaces around a value, so a name with outer
    // spaces could never be found by its filter.
    private static string? OuterSpaceProblem(string label, string name) =>
        name.Length > 0 && (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
            ? $"{label} must not begin or end with spaces."
            : null;

    // Unicode characters (scalar values), as PostgreSQL counts them for the name column, so an emoji counts once
    // and not as its two UTF-16 code units.
    private static int CharacterCount(string text) => text.EnumerateRunes().Count();

    /// <summary>
    /// Returns a message naming the first control or zero-width character and its position (in characters, from 1),
    /// or null when there is none.
    /// Names appear in page titles, links, log lines and CSV cells, where a line break or tab splits the line.
    /// </summary>
    private static string? ControlCharacterProblem(string label, string value)
    {
        var position = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            position++;
            if (Rune.IsControl(rune) || IsLineOrDirectionFormat(rune.Value))
            {
                return $"{label} must not contain line breaks, tabs or other control characters; "
                    + $"found U+{rune.Value:X4} at character {Number(position)}.";
            }

            if (IsZeroWidth(rune.Value))
            {
                return $"{label} must not contain zero-width characters; "
                    + $"found U+{rune.Value:X4} at character {Number(position)}.";
            }
        }

        return null;
    }

    // The line and paragraph separators break a line as a newline does, and the direction overrides and isolates
    // (U+202A-U+202E, U+2066-U+2069) reorder the text shown after them.
    private static bool IsLineOrDirectionFormat(int value) =>
        value is 0x2028 or 0x2029 or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    // The zero-width space, word joiner and byte order mark (U+200B, U+2060, U+FEFF) show nothing, so two names that
    // look the same could differ and a name typed into a filter would not match. The joiner and non-joiner
    // (U+200D, U+200C) are allowed, because emoji sequences and scripts such as Persian need them between characters.
    private static bool IsZeroWidth(int value) => value is 0x200B or 0x2060 or 0xFEFF;

    private static void ValidateTraining(TrainingSpec? training, LimitsOptions limits, string path, ValidationErrors errors)
    {
        if (training is null)
        {
            errors.Add(path, "Training is required: give at least epochs.");
            return;
        }

        if (training.Epochs is not { } epochs)
        {
            errors.Add(
                $"{path}.epochs",
                $"Epochs is required: give a whole number from 1 to {Number(limits.MaxEpochs)} "
                    + "(RandomFit:Limits:MaxEpochs).");
        }
        else if (epochs < 1 || epochs > limits.MaxEpochs)
        {
            errors.Add(
                $"{path}.epochs",
                $"Epochs must be between 1 and {Number(limits.MaxEpochs)} (RandomFit:Limits:MaxEpochs); got {Number(epochs)}.");
        }

        CheckRange(training.BatchSize, 1, 65536, "Batch size", $"{path}.batchSize", errors);
        if (!(training.LearningRate > 0 && training.LearningRate <= 10))
        {
            errors.Add($"{path}.learningRate", $"Learning rate must be above 0 and at most 10; got {Number(training.LearningRate)}.");
        }

        CheckFraction(training.Momentum, "Momentum", $"{path}.momentum", errors);
        if (training.Optimizer == OptimizerKind.Sgd && training.Nesterov && training.Momentum == 0)
        {
            errors.Add($"{path}.nesterov", "Nesterov momentum needs a momentum above 0; got momentum 0.");
        }

        CheckNonNegative(training.WeightDecay, "Weight decay", $"{path}.weightDecay", errors);
        CheckSeed(training.DataSeed, "Data seed", $"{path}.dataSeed", errors);
        CheckSeed(training.InitSeed, "Init seed", $"{path}.initSeed", errors);
        CheckSeed(training.OrderSeed, "Order seed", $"{path}.orderSeed", errors);
    }

    private static void ValidateSeeds(IReadOnlyList<int>? seeds, LimitsOptions limits, string path, ValidationErrors errors)
    {
        if (seeds is null)
        {
            return;
        }

        if (seeds.Count < 1 || seeds.Count > limits.MaxSeeds)
        {
            errors.Add(path, SeedChecks.CountMessage(limits.MaxSeeds, seeds.Count));
        }

        foreach (var (index, message) in SeedChecks.EntryErrors(seeds))
        {
            errors.Add($"{path}[{index}]", message);
        }
    }

    private static void CheckSeed(int? seed, string label, string key, ValidationErrors errors)
    {
        if (seed < 0)
        {
            errors.Add(key, SeedChecks.RangeMessage(label, seed.Value));
        }
    }

    private static void CheckRange(long? value, long min, long max, string label, string key, ValidationErrors errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(key, $"{label} must be between {Number(min)} and {Number(max)}; got {Number(v)}.");
        }
    }

    // A value in [0, 1): dropout and momentum.
    private static void CheckFraction(double? value, string label, string key, ValidationErrors errors)
    {
        if (value is { } v && !(v >= 0 && v < 1))
        {
            errors.Add(key, $"{label} must be at least 0 and below 1; got {Number(v)}.");
        }
    }

    private static void CheckNonNegative(double? value, string label, string key, ValidationErrors errors)
    {
        if (value is { } v && !(v >= 0 && double.IsFinite(v)))
        {
            // JSON has no infinity, but a number too large for a double, such as 1e400, reads as one.
            var problem = double.IsPositiveInfinity(v) ? "a finite number of at least 0" : "at least 0";
            errors.Add(key, $"{label} must be {problem}; got {Number(v)}.");
        }
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => SpecNumber.Format(value);

    // The value as the contract spells it, in quotes: "structured", "stacked".
    private static string Quote<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var wireName = typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
        return $"\"{wireName}\"";
    }

    /// <summary>Errors by key, each message kept once.</summary>
    private sealed class ValidationErrors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string key, string message)
        {
            if (!_errors.TryGetValue(key, out var messages))
            {
                messages = [];
                _errors[key] = messages;
            }

            if (!messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        /// <summary>Whether any error sits at <paramref name="path"/> or below it.</summary>
        public bool HasAt(string path) => _errors.Keys.Any(key =>
            key == path
            || key.StartsWith(path + ".", StringComparison.Ordinal)
            || key.StartsWith(path + "[", StringComparison.Ordinal));

        public IReadOnlyDictionary<string, string[]> ToDictionary() =>
            _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
