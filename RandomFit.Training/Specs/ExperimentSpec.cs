using System.Text.Json.Serialization;

namespace RandomFit.Training.Specs;

/// <summary>
/// An experiment as a user writes it: one data description, model variants and seeds.
/// Fields the contract marks required are nullable so that validation can name a missing one.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>Display name; the preset's name or "Untitled experiment" when omitted.</summary>
    public string? Name { get; init; }

    /// <summary>The data every model of the experiment trains on.</summary>
    public DataSpec? Data { get; init; }

    /// <summary>1 to 16 model variants with unique names.</summary>
    public IReadOnlyList<ModelSpec>? Models { get; init; }

    /// <summary>Optimizer and loop settings shared by all runs.</summary>
    public TrainingSpec? Training { get; init; }

    /// <summary>Distinct seeds in 0 to 2147483647; <c>[0]</c> when omitted.</summary>
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>The seeds to run, with the default applied.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> EffectiveSeeds => Seeds is { Count: > 0 } ? Seeds : [0];
}

/// <summary>Shape of one sample, channels first.</summary>
public sealed record ShapeSpec
{
    public int? Channels { get; init; }
    public int? Height { get; init; }
    public int? Width { get; init; }
}

/// <summary>The generated (or uploaded) dataset of an experiment.</summary>
public sealed record DataSpec
{
    public ShapeSpec? Shape { get; init; }
    public int? TrainSamples { get; init; }

    /// <summary>Samples in the test split; 0, no test split, when left out.</summary>
    public int TestSamples { get; init; }

    public int Classes { get; init; } = 2;
    public InputKind Inputs { get; init; } = InputKind.Uniform;
    public LabelKind Labels { get; init; } = LabelKind.Random;
    public double Corruption { get; init; }
    public bool CorruptTest { get; init; }
    public PixelTransform Pixels { get; init; } = PixelTransform.AsIs;
    public bool Standardize { get; init; }
    public string? File { get; init; }

    /// <summary>Named overrides of these fields; each becomes an axis of runs.</summary>
    public IReadOnlyList<DataCondition>? Conditions { get; init; }
}

/// <summary>A named override of data fields; fields left null keep the experiment's value.</summary>
public sealed record DataCondition
{
    public string? Name { get; init; }
    public ShapeSpec? Shape { get; init; }
    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }
    public int? Classes { get; init; }
    public InputKind? Inputs { get; init; }
    public LabelKind? Labels { get; init; }
    public double? Corruption { get; init; }
    public bool? CorruptTest { get; init; }
    public PixelTransform? Pixels { get; init; }
    public bool? Standardize { get; init; }
    public string? File { get; init; }
}

/// <summary>One model variant: a CNN of conv blocks then dense layers, or an MLP of hidden layers.</summary>
public sealed record ModelSpec
{
    public string? Name { get; init; }
    public ModelKind? Kind { get; init; }
    public IReadOnlyList<ConvSpec>? Conv { get; init; }
    public bool GlobalPool { get; init; }

    /// <summary>Dense widths of a CNN after its conv blocks. Omitted or null, it is empty, as the JSON shows it.</summary>
    public IReadOnlyList<int>? Dense { get; init => field = value ?? []; } = [];

    /// <summary>Hidden widths of an MLP. Omitted or null, it is empty, as the JSON shows it.</summary>
    public IReadOnlyList<int>? Hidden { get; init => field = value ?? []; } = [];

    public double Dropout { get; init; }
    public bool BatchNorm { get; init; }
    public InitKind Init { get; init; } = InitKind.Keras;

    /// <summary>Per-model weight decay; the training value when null.</summary>
    public double? WeightDecay { get; init; }
}

/// <summary>One conv block: convolution, ReLU, then pooling.</summary>
public sealed record ConvSpec
{
    public int? Filters { get; init; }
    public int? Kernel { get; init; }
    public Padding Padding { get; init; } = Padding.Valid;
    public PoolKind Pool { get; init; } = PoolKind.Max;
    public int PoolSize { get; init; } = 2;
}

/// <summary>Optimizer and loop settings.</summary>
public sealed record TrainingSpec
{
    public int? Epochs { get; init; }
    public int BatchSize { get; init; } = 32;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 0.001;
    public double Momentum { get; init; }
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; }
    public ExecutionMode Execution { get; init; } = ExecutionMode.Separate;

    /// <summary>A fixed seed for the generated data; the run's seed when null.</summary>
    public int? DataSeed { get; init; }

    /// <summary>A fixed seed for the initial weights; the run's seed when null.</summary>
    public int? InitSeed { get; init; }

    /// <summary>A fixed seed for the batch order; the run's seed when null.</summary>
    public int? OrderSeed { get; init; }
}

public enum InputKind
{
    [JsonStringEnumMemberName("uniform")] Uniform,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("structured")] Structured,
    [JsonStringEnumMemberName("file")] File,
}

public enum LabelKind
{
    [JsonStringEnumMemberName("random")] Random,
    [JsonStringEnumMemberName("true")] True,
    [JsonStringEnumMemberName("corrupted")] Corrupted,
}

public enum PixelTransform
{
    [JsonStringEnumMemberName("as-is")] AsIs,
    [JsonStringEnumMemberName("shuffled")] Shuffled,
    [JsonStringEnumMemberName("random")] Random,
    [JsonStringEnumMemberName("gaussian")] Gaussian,
}

public enum ModelKind
{
    [JsonStringEnumMemberName("cnn")] Cnn,
    [JsonStringEnumMemberName("mlp")] Mlp,
}

public enum Padding
{
    [JsonStringEnumMemberName("valid")] Valid,
    [JsonStringEnumMemberName("same")] Same,
}

public enum PoolKind
{
    [JsonStringEnumMemberName("max")] Max,
    [JsonStringEnumMemberName("avg")] Avg,
    [JsonStringEnumMemberName("none")] None,
}

public enum InitKind
{
    [JsonStringEnumMemberName("keras")] Keras,
    [JsonStringEnumMemberName("pytorch")] PyTorch,
}

public enum OptimizerKind
{
    [JsonStringEnumMemberName("adam")] Adam,
    [JsonStringEnumMemberName("sgd")] Sgd,
}

public enum ExecutionMode
{
    [JsonStringEnumMemberName("separate")] Separate,
    [JsonStringEnumMemberName("stacked")] Stacked,
}
