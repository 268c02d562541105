using RandomFit.Training.Specs;

namespace RandomFit.Tests.Specs;

public sealed class SpecValidatorTests
{
    private static readonly LimitsOptions Limits = new();

    private static readonly ExperimentSpec Valid = new()
    {
        Name = "valid",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 8, Width = 8 },
            TrainSamples = 64,
            TestSamples = 16,
            Classes = 10,
        },
        Models =
        [
            new ModelSpec
            {
                Name = "cnn",
                Kind = ModelKind.Cnn,
                Conv = [new ConvSpec { Filters = 8, Kernel = 3 }, new ConvSpec { Filters = 8, Kernel = 2 }],
            },
            new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [32] },
        ],
        Training = new TrainingSpec { Epochs = 10 },
        Seeds = [0, 1, 2],
    };

    private static readonly ModelSpec Cnn = Valid.Models![0];
    private static readonly ModelSpec Mlp = Valid.Models![1];
    private static readonly DataSpec Data = Valid.Data!;
    private static readonly TrainingSpec Training = Valid.Training!;

    public static TheoryData<string, ExperimentSpec, string, string> BadSpecs => new()
    {
        { "empty name", Valid with { Name = "" }, "spec.name", "Name must not be empty; give 1 to 200 characters, or leave it out." },
        { "long name", Valid with { Name = new string('a', 201) }, "spec.name", "Name must be at most 200 characters; got 201." },
        {
            "name with a tab",
            Valid with { Name = "a\tb" },
            "spec.name",
            "Name must not contain line breaks, tabs or other control characters; found U+0009 at character 2."
        },
        {
            "name with a C1 control",
            Valid with { Name = "ab\u0085" },
            "spec.name",
            "Name must not contain line breaks, tabs or other control characters; found U+0085 at character 3."
        },
        {
            "201 emoji",
            Valid with { Name = string.Concat(Enumerable.Repeat("\U0001F600", 201)) },
            "spec.name",
            "Name must be at most 200 characters; got 201."
        },
        {
            "line break after an emoji",
            Valid with { Name = "\U0001F600\n" },
            "spec.name",
            "Name must not contain line breaks, tabs or other control characters; found U+000A at character 2."
        },
        {
            "right-to-left override",
            Valid with { Name = "ab\u202Ecd" },
            "spec.name",
            "Name must not contain line breaks, tabs or other control characters; found U+202E at character 3."
        },
        {
            "line separator",
            Valid with { Name = "a\u2028b" },
            "spec.name",
            "Name must not contain line breaks, tabs or other control characters; found U+2028 at character 2."
        },
        {
            "zero-width space in name",
            Valid with { Name = "ab\u200Bcd" },
            "spec.name",
            "Name must not contain zero-width characters; found U+200B at character 3."
        },
        {
            "word joiner in name",
            Valid with { Name = "a\u2060b" },
            "spec.name",
            "Name must not contain zero-width characters; found U+2060 at character 2."
        },
        {
            "byte order mark in name",
            Valid with { Name = "\uFEFFname" },
            "spec.name",
            "Name must not contain zero-width characters; found U+FEFF at character 1."
        },
        {
            "zero-width space in model name",
            Valid with { Models = [Mlp with { Name = "m\u200B" }] },
            "spec.models[0].name",
            "Model name must not contain zero-width characters; found U+200B at character 2."
        },
        {
            "byte order mark in condition name",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "c\uFEFF1" }] } },
            "spec.data.conditions[0].name",
            "Condition name must not contain zero-width characters; found U+FEFF at character 2."
        },
        { "padded name", Valid with { Name = "  padded  " }, "spec.name", "Name must not begin or end with spaces." },
        {
            "padded model name",
            Valid with { Models = [Mlp with { Name = "  mlp" }] },
            "spec.models[0].name",
            "Model name must not begin or end with spaces."
        },
        {
            "no data",
            Valid with { Data = null },
            "spec.data",
            "Data is required: give at least shape and trainSamples."
        },
        {
            "no channels",
            Valid with { Data = Data with { Shape = new ShapeSpec { Height = 8, Width = 8 } } },
            "spec.data.shape.channels",
            "Channels is required: give a whole number from 1 to 64."
        },
        {
            "no height",
            Valid with { Data = Data with { Shape = new ShapeSpec { Channels = 1, Width = 8 } } },
            "spec.data.shape.height",
            "Height is required: give a whole number from 1 to 1,024."
        },
        {
            "zero channels",
            Valid with { Data = Data with { Shape = new ShapeSpec { Channels = 0, Height = 8, Width = 8 } } },
            "spec.data.shape.channels",
            "Channels must be between 1 and 64; got 0."
        },
        {
            "huge height",
            Valid with { Data = Data with { Shape = new ShapeSpec { Channels = 1, Height = 2000, Width = 8 } } },
            "spec.data.shape.height",
            "Height must be between 1 and 1,024; got 2,000."
        },
        {
            "no train samples",
            Valid with { Data = Data with { TrainSamples = null } },
            "spec.data.trainSamples",
            "Train samples is required: give a whole number of at least 1."
        },
        { "zero train samples", Valid with { Data = Data with { TrainSamples = 0 } }, "spec.data.trainSamples", "Train samples must be at least 1; got 0." },
        { "negative test samples", Valid with { Data = Data with { TestSamples = -1 } }, "spec.data.testSamples", "Test samples must be at least 0; got -1." },
        {
            "too many samples",
            Valid with { Data = Data with { TrainSamples = 900_000, TestSamples = 300_000 } },
            "spec.data",
            "Train and test samples add up to 1,200,000; the limit is 1,000,000 (RandomFit:Limits:MaxSamples)."
        },
        { "one class", Valid with { Data = Data with { Classes = 1 } }, "spec.data.classes", "Classes must be between 2 and 1,000; got 1." },
        {
            "structured inputs with many classes",
            Valid with { Data = Data with { Inputs = InputKind.Structured, Classes = 11 } },
            "spec.data.classes",
            "Structured inputs support 2 to 10 classes; got 11."
        },
        {
            "file inputs",
            Valid with { Data = Data with { Inputs = InputKind.File } },
            "spec.data.inputs",
            "Inputs \"file\" are not supported by this server yet; use uniform or normal."
        },
        {
            "true labels on random inputs",
            Valid with { Data = Data with { Labels = LabelKind.True } },
            "spec.data.labels",
            "Labels \"true\" need inputs with a true class; use inputs \"structured\" or \"file\", or labels \"random\" (got inputs \"uniform\")."
        },
        {
            "corrupted labels on random inputs",
            Valid with { Data = Data with { Inputs = InputKind.Normal, Labels = LabelKind.Corrupted } },
            "spec.data.labels",
            "Labels \"corrupted\" need inputs with a true class; use inputs \"structured\" or \"file\", or labels \"random\" (got inputs \"normal\")."
        },
        { "corruption above 1", Valid with { Data = Data with { Corruption = 1.5 } }, "spec.data.corruption", "Corruption must be between 0 and 1; got 1.5." },
        {
            "unnamed condition",
            Valid with { Data = Data with { Conditions = [new DataCondition { Classes = 3 }] } },
            "spec.data.conditions[0].name",
            "Condition name is required: give 1 to 200 characters, unique among the conditions."
        },
        {
            "repeated condition",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "a" }, new DataCondition { Name = "a" }] } },
            "spec.data.conditions[1].name",
            "Condition name \"a\" appears more than once; condition names must be unique."
        },
        {
            "condition name with a control character",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "\u0001a" }] } },
            "spec.data.conditions[0].name",
            "Condition name must not contain line breaks, tabs or other control characters; found U+0001 at character 1."
        },
        {
            "condition with one class",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "a", Classes = 1 }] } },
            "spec.data.conditions[0].classes",
            "Classes must be between 2 and 1,000; got 1."
        },
        {
            "condition with zero width",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "a", Shape = new ShapeSpec { Width = 0 } }] } },
            "spec.data.conditions[0].shape.width",
            "Width must be between 1 and 1,024; got 0."
        },
        {
            "condition too small for the kernel",
            Valid with { Data = Data with { Conditions = [new DataCondition { Name = "small", Shape = new ShapeSpec { Height = 2, Width = 2 } }] } },
            "spec.models[0].conv[0].kernel",
            "Kernel 3 does not fit conv block 1 under condition \"small\": its input is 2x2, the sample size (valid padding needs kernel <= 2)."
        },
        { "no models", Valid with { Models = null }, "spec.models", "Models is required: give 1 to 16 models." },
        { "empty models", Valid with { Models = [] }, "spec.models", "Models must have 1 to 16 entries; got 0." },
        {
            "seventeen models",
            Valid with { Models = Enumerable.Range(0, 17).Select(i => Mlp with { Name = $"m{i}" }).ToList() },
            "spec.models",
            "Models must have 1 to 16 entries; got 17."
        },
        {
            "unnamed model",
            Valid with { Models = [Mlp with { Name = null }] },
            "spec.models[0].name",
            "Model name is required: give 1 to 200 characters, unique among the models."
        },
        { "repeated model", Valid with { Models = [Mlp, Mlp] }, "spec.models[1].name", "Model name \"mlp\" appears more than once; model names must be unique." },
        {
            "model name with a line break",
            Valid with { Models = [Mlp with { Name = "m\r\n" }] },
            "spec.models[0].name",
            "Model name must not contain line breaks, tabs or other control characters; found U+000D at character 2."
        },
        {
            "long model name",
            Valid with { Models = [Mlp with { Name = new string('m', 201) }] },
            "spec.models[0].name",
            "Model name must be at most 200 characters; got 201."
        },
        { "no kind", Valid with { Models = [Mlp with { Kind = null }] }, "spec.models[0].kind", "Kind is required: use cnn or mlp." },
        { "cnn without conv", Valid with { Models = [Cnn with { Conv = [] }] }, "spec.models[0].conv", "Conv is required for a cnn model: give at least one conv block." },
        { "cnn with hidden", Valid with { Models = [Cnn with { Hidden = [4] }] }, "spec.models[0].hidden", "Hidden applies only to mlp models; use dense for a cnn model." },
        { "mlp with dense", Valid with { Models = [Mlp with { Dense = [4] }] }, "spec.models[0].dense", "Dense applies only to cnn models; use hidden for an mlp model." },
        { "mlp with conv", Valid with { Models = [Mlp with { Conv = Cnn.Conv }] }, "spec.models[0].conv", "Conv applies only to cnn models; an mlp model has hidden layers only." },
        {
            "zero filters",
            Valid with { Models = [Cnn with { Conv = [new ConvSpec { Filters = 0, Kernel = 3 }] }] },
            "spec.models[0].conv[0].filters",
            "Filters must be between 1 and 4,096; got 0."
        },
        {
            "missing kernel",
            Valid with { Models = [Cnn with { Conv = [new ConvSpec { Filters = 4 }] }] },
            "spec.models[0].conv[0].kernel",
            "Kernel is required: give a whole number of at least 1 that fits the block's input."
        },
        {
            "missing filters",
            Valid with { Models = [Cnn with { Conv = [new ConvSpec { Kernel = 3 }] }] },
            "spec.models[0].conv[0].filters",
            "Filters is required: give a whole number from 1 to 4,096."
        },
        {
            "kernel too large after pooling",
            Valid with { Models = [Cnn with { Conv = [new ConvSpec { Filters = 4, Kernel = 3 }, new ConvSpec { Filters = 4, Kernel = 5 }] }] },
            "spec.models[0].conv[1].kernel",
            "Kernel 5 does not fit conv block 2: its input is 3x3 after block 1 (valid padding needs kernel <= 3)."
        },
        {
            "pool larger than the map",
            Valid with { Models = [Cnn with { Conv = [new ConvSpec { Filters = 4, Kernel = 7, PoolSize = 3 }] }] },
            "spec.models[0].conv[0].poolSize",
            "Pool size 3 does not fit conv block 1: its convolution output is 2x2 (pooling needs pool size <= 2)."
        },
        { "zero width", Valid with { Models = [Mlp with { Hidden = [32, 0] }] }, "spec.models[0].hidden[1]", "Width must be between 1 and 65,536; got 0." },
        { "dropout of 1", Valid with { Models = [Mlp with { Dropout = 1 }] }, "spec.models[0].dropout", "Dropout must be at least 0 and below 1; got 1." },
        { "negative model decay", Valid with { Models = [Mlp with { WeightDecay = -0.1 }] }, "spec.models[0].weightDecay", "Weight decay must be at least 0; got -0.1." },
        {
            "too many parameters",
            Valid with { Data = Data with { Shape = new ShapeSpec { Channels = 3, Height = 128, Width = 128 } }, Models = [Mlp with { Hidden = [1100] }] },
            "spec.models[0]",
            "The model has 54,079,310 parameters; the limit is 50,000,000 (RandomFit:Limits:MaxParameters)."
        },
        {
            "parameter count past 64 bits",
            Valid with
            {
                Models = [Cnn with { Conv = [new ConvSpec { Filters = 4096, Kernel = int.MaxValue, Padding = Padding.Same }] }],
            },
            "spec.models[0]",
            "The model has at least 9,223,372,036,854,775,807 parameters; the limit is 50,000,000 "
                + "(RandomFit:Limits:MaxParameters)."
        },
        {
            "too much memory",
            Valid with { Data = Data with { Shape = new ShapeSpec { Channels = 3, Height = 1024, Width = 1024 }, TrainSamples = 1000 }, Models = [Mlp with { Hidden = [8] }] },
            "spec.models[0]",
            "A run of this model needs an estimated 16,408,153,568 bytes (data, parameters, optimizer state and one batch of activations, float32); the limit is 8,589,934,592 (RandomFit:Limits:MaxMemoryBytes)."
        },
        {
            "no training",
            Valid with { Training = null },
            "spec.training",
            "Training is required: give at least epochs."
        },
        {
            "no epochs",
            Valid with { Training = Training with { Epochs = null } },
            "spec.training.epochs",
            "Epochs is required: give a whole number from 1 to 100,000 (RandomFit:Limits:MaxEpochs)."
        },
        {
            "too many epochs",
            Valid with { Training = Training with { Epochs = 100_001 } },
            "spec.training.epochs",
            "Epochs must be between 1 and 100,000 (RandomFit:Limits:MaxEpochs); got 100,001."
        },
        { "zero batch", Valid with { Training = Training with { BatchSize = 0 } }, "spec.training.batchSize", "Batch size must be between 1 and 65,536; got 0." },
        { "zero rate", Valid with { Training = Training with { LearningRate = 0 } }, "spec.training.learningRate", "Learning rate must be above 0 and at most 10; got 0." },
        { "tiny negative rate", Valid with { Training = Training with { LearningRate = -1e-6 } }, "spec.training.learningRate", "Learning rate must be above 0 and at most 10; got -1e-6." },
        { "momentum of 1", Valid with { Training = Training with { Momentum = 1 } }, "spec.training.momentum", "Momentum must be at least 0 and below 1; got 1." },
        {
            "nesterov without momentum",
            Valid with { Training = Training with { Optimizer = OptimizerKind.Sgd, Nesterov = true } },
            "spec.training.nesterov",
            "Nesterov momentum needs a momentum above 0; got momentum 0."
        },
        { "negative decay", Valid with { Training = Training with { WeightDecay = -1 } }, "spec.training.weightDecay", "Weight decay must be at least 0; got -1." },
        { "infinite decay", Valid with { Training = Training with { WeightDecay = double.PositiveInfinity } }, "spec.training.weightDecay", "Weight decay must be a finite number of at least 0; got Infinity." },
        {
            "stacked dropout",
            Valid with
            {
                Training = Training with { Execution = ExecutionMode.Stacked },
                Models = [Valid.Models![0] with { Dropout = 0.5 }],
            },
            "spec.models[0].dropout",
            "Stacked execution does not support dropout; use separate execution."
        },
        { "negative data seed", Valid with { Training = Training with { DataSeed = -1 } }, "spec.training.dataSeed", "Data seed must be between 0 and 2147483647; got -1." },
        { "no seeds", Valid with { Seeds = [] }, "spec.seeds", "Seeds must have 1 to 100 entries (RandomFit:Limits:MaxSeeds); got 0." },
        { "negative seed", Valid with { Seeds = [0, 1, 2, -5] }, "spec.seeds[3]", "Seed must be between 0 and 2147483647; got -5." },
        { "repeated seed", Valid with { Seeds = [7, 1, 7] }, "spec.seeds[2]", "Seed 7 appears more than once; seeds must be distinct." },
        {
            "101 seeds",
            Valid with { Seeds = Enumerable.Range(0, 101).ToList() },
            "spec.seeds",
            "Seeds must have 1 to 100 entries (RandomFit:Limits:MaxSeeds); got 101."
        },
    };

    [Fact]
    public void Validate_ValidSpec_ReturnsNoErrors()
    {
        var errors = SpecValidator.Validate(Valid, Limits);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_BadClassesAndKernel_ReportsBoth()
    {
        var spec = Valid with
        {
            Data = Data with { Classes = 1 },
            Models = [Cnn with { Conv = [new ConvSpec { Filters = 4, Kernel = 9 }] }],
        };

        var errors = SpecValidator.Validate(spec, Limits);

        Assert.Equal(["Classes must be between 2 and 1,000; got 1."], errors["spec.data.classes"]);
        Assert.Equal(
            ["Kernel 9 does not fit conv block 1: its input is 8x8, the sample size (valid padding needs kernel <= 8)."],
            errors["spec.models[0].conv[0].kernel"]);
    }

    [Fact]
    public void Validate_TwoHundredEmojiName_ReturnsNoErrors()
    {
        var errors = SpecValidator.Validate(Valid with { Name = string.Concat(Enumerable.Repeat("\U0001F600", 200)) }, Limits);

        Assert.Empty(errors);
    }

    // The joiner builds emoji sequences such as a family, and the non-joiner separates letters in Persian words.
    [Theory]
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467 runs")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    public void Validate_NameWithJoiner_ReturnsNoErrors(string name)
    {
        var errors = SpecValidator.Validate(Valid with { Name = name }, Limits);

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Validate_BadSpec_ReturnsOneErrorAtField(string label, ExperimentSpec spec, string key, string message)
    {
        var errors = SpecValidator.Validate(spec, Limits);

        Assert.True(errors.Keys.SequenceEqual([key]), $"{label}: keys were {string.Join(", ", errors.Keys)}");
        Assert.Equal([message], errors[key]);
    }

    [Fact]
    public void Validate_SeedGivenThreeTimes_ReportsEachRepeat()
    {
        var errors = SpecValidator.Validate(Valid with { Seeds = [7, 7, 7] }, Limits);

        Assert.Equal(["spec.seeds[1]", "spec.seeds[2]"], errors.Keys.Order());
        Assert.Equal(["Seed 7 appears more than once; seeds must be distinct."], errors["spec.seeds[1]"]);
        Assert.Equal(["Seed 7 appears more than once; seeds must be distinct."], errors["spec.seeds[2]"]);
    }

    [Fact]
    public void Validate_ModelNameThreeTimes()
    {
        var errors = SpecValidator.Validate(Valid with { Models = [Mlp, Mlp, Mlp] }, Limits);

        Assert.Equal(["spec.models[1].name", "spec.models[2].name"], errors.Keys.Order());
        Assert.Equal(["Model name \"mlp\" appears more than once; model names must be unique."], errors["spec.models[1].name"]);
        Assert.Equal(["Model name \"mlp\" appears more than once; model names must be unique."], errors["spec.models[2].name"]);
    }

    [Fact]
    public void Validate_LongRepeatedNames_ShortenedInMessages()
    {
        var longName = new string('m', 1000);
        var spec = Valid with
        {
            Models = [Mlp with { Name = longName }, Mlp with { Name = longName }],
            Data = Data with { Conditions = [new DataCondition { Name = longName }, new DataCondition { Name = longName }] },
        };

        var errors = SpecValidator.Validate(spec, Limits);

        Assert.Contains(
            $"Model name \"{new string('m', 64)}…\" (1,000 characters) appears more than once; model names must be unique.",
            errors["spec.models[1].name"]);
        Assert.Contains(
            $"Condition name \"{new string('m', 64)}…\" (1,000 characters) appears more than once; condition names must be unique.",
            errors["spec.data.conditions[1].name"]);
    }

    [Fact]
    public void Validate_LongConditionName_ShortenedInModelMessage()
    {
        var name = new string('c', 100);
        var spec = Valid with
        {
            Data = Data with { Conditions = [new DataCondition { Name = name, Shape = new ShapeSpec { Height = 2, Width = 2 } }] },
        };

        var errors = SpecValidator.Validate(spec, Limits);

        Assert.Equal(
            [$"Kernel 3 does not fit conv block 1 under condition \"{new string('c', 64)}…\" (100 characters): its input is 2x2, the sample size (valid padding needs kernel <= 2)."],
            errors["spec.models[0].conv[0].kernel"]);
    }

    [Fact]
    public void Validate_CustomPrefix_PrefixesEveryKey()
    {
        var errors = SpecValidator.Validate(Valid with { Seeds = [1, 1] }, Limits, prefix: "body.spec");

        Assert.Equal(["body.spec.seeds[1]"], errors.Keys);
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEach()
    {
        var spec = Valid with { Name = "", Training = Training with { Epochs = 0, BatchSize = 0 } };

        var errors = SpecValidator.Validate(spec, Limits);

        Assert.Equal(["spec.name", "spec.training.batchSize", "spec.training.epochs"], errors.Keys.Order());
    }

    [Fact]
    public void ResolveData_Condition_OverridesOnlyItsFields()
    {
        var spec = Valid with
        {
            Data = Data with { Conditions = [new DataCondition { Name = "wide", Shape = new ShapeSpec { Width = 16 }, Classes = 3 }] },
        };

        var data = spec.ResolveData("wide");

        Assert.Equal(new ShapeSpec { Channels = 3, Height = 8, Width = 16 }, data.Shape);
        Assert.Equal(3, data.Classes);
        Assert.Equal(64, data.TrainSamples);
        Assert.Null(data.Conditions);
    }
}
