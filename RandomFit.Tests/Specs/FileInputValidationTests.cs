using RandomFit.Training.Data;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Specs;

public sealed class FileInputValidationTests
{
    private static readonly LimitsOptions Limits = new();

    private static readonly ExperimentSpec Spec = new()
    {
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 100, Width = 100 },
            TrainSamples = 80,
            TestSamples = 20,
            Inputs = InputKind.File,
            File = "ds1",
        },
        Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [8] }],
        Training = new TrainingSpec { Epochs = 1 },
    };

    private static IReadOnlyDictionary<string, string[]> Validate(ExperimentSpec spec, params long[] inputShape) =>
        SpecValidator.Validate(spec, Limits, new FixedDatasets(new DatasetInfo("ds1", inputShape, 0, 2)));

    [Fact]
    public void Validate_MatchingDataset_HasNoErrors()
    {
        Assert.Empty(Validate(Spec, 100, 3, 100, 100));
    }

    [Fact]
    public void Validate_SingleImageArray_NamesExpectedShape()
    {
        var errors = Validate(Spec, 100, 100, 3);

        Assert.Equal(
            ["x has shape [100, 100, 3]; expected [N, 3, 100, 100] (N samples, channels first). "
                + "A single image-shaped array is one sample, not 100."],
            errors["spec.data.file"]);
    }

    [Fact]
    public void Validate_ChannelsLast_SuggestsTranspose()
    {
        var errors = Validate(Spec, 100, 100, 100, 3);

        Assert.Equal(
            ["x has shape [100, 100, 100, 3], which looks channels-last; expected [N, 3, 100, 100]. "
                + "Transpose it to channels-first (np.transpose(x, (0, 3, 1, 2)))."],
            errors["spec.data.file"]);
    }

    [Fact]
    public void Validate_OtherShape_NamesExpectedShape()
    {
        var errors = Validate(Spec, 100, 1, 28, 28);

        Assert.Equal(
            ["x has shape [100, 1, 28, 28]; expected [N, 3, 100, 100] (N samples, channels first)."],
            errors["spec.data.file"]);
    }

    [Fact]
    public void Validate_GrayscaleThreeDimensions_Matches()
    {
        var spec = Spec with { Data = Spec.Data! with { Shape = new ShapeSpec { Channels = 1, Height = 28, Width = 28 } } };

        Assert.Empty(Validate(spec, 100, 28, 28));
    }

    [Fact]
    public void Validate_UnknownDataset_IsRejected()
    {
        var spec = Spec with { Data = Spec.Data! with { File = "nope" } };

        Assert.Equal(
            ["Dataset \"nope\" was not found; upload it with POST /api/datasets and use the id it returns."],
            Validate(spec, 100, 3, 100, 100)["spec.data.file"]);
    }

    [Fact]
    public void Validate_LongUnknownDataset_ShortensId()
    {
        var spec = Spec with { Data = Spec.Data! with { File = new string('d', 100_000) } };

        Assert.Equal(
            [$"Dataset \"{new string('d', 64)}…\" (100,000 characters) was not found; upload it with POST /api/datasets and use the id it returns."],
            Validate(spec, 100, 3, 100, 100)["spec.data.file"]);
    }

    [Fact]
    public void Validate_MissingFile_IsRejected()
    {
        var spec = Spec with { Data = Spec.Data! with { File = null } };

        Assert.Equal(
            ["File is required when inputs is \"file\": give the id that POST /api/datasets returned."],
            Validate(spec, 100, 3, 100, 100)["spec.data.file"]);
    }

    [Fact]
    public void Validate_MoreSamplesThanDataset_IsRejected()
    {
        var spec = Spec with { Data = Spec.Data! with { TrainSamples = 90 } };

        Assert.Equal(
            ["Train and test samples add up to 110, but dataset \"ds1\" has 100 samples in x and no x_test; "
                + "the test split takes the samples of x after the training split."],
            Validate(spec, 100, 3, 100, 100)["spec.data"]);
    }

    [Fact]
    public void Validate_TrueLabelsWithTooFewClasses_IsRejected()
    {
        var spec = Spec with { Data = Spec.Data! with { Labels = LabelKind.True } };
        var datasets = new FixedDatasets(new DatasetInfo("ds1", [100, 3, 100, 100], 0, 10));

        var errors = SpecValidator.Validate(spec, Limits, datasets);

        Assert.Equal(
            ["Dataset \"ds1\" has labels up to 9, so classes must be at least 10; got 2."],
            errors["spec.data.classes"]);
    }

    [Fact]
    public void Validate_WithoutStore_RejectsFileInputs()
    {
        var errors = SpecValidator.Validate(Spec, Limits);

        Assert.Equal(
            ["Inputs \"file\" are not supported by this server yet; use uniform or normal."],
            errors["spec.data.inputs"]);
    }

    // A condition cannot unset the dataset that it inherits, because null counts as left out, so a condition that
    // switched to generated inputs was rejected under spec.data.conditions[0].file, a field it never gave.
    [Fact]
    public void Validate_ConditionWithGeneratedInputs_HasNoErrors()
    {
        var spec = Spec with { Data = Spec.Data! with { Conditions = [UploadedCondition, UniformCondition] } };

        Assert.Empty(Validate(spec, 100, 3, 100, 100));
    }

    [Fact]
    public void ResolveData_ConditionWithGeneratedInputs_DropsFile()
    {
        var spec = Spec with { Data = Spec.Data! with { Conditions = [UploadedCondition, UniformCondition] } };

        Assert.Null(spec.ResolveData("uniform").File);
        Assert.Equal(InputKind.Uniform, spec.ResolveData("uniform").Inputs);
        Assert.Equal("ds1", spec.ResolveData("uploaded").File);
    }

    private static readonly DataCondition UploadedCondition = new() { Name = "uploaded" };

    private static readonly DataCondition UniformCondition = new() { Name = "uniform", Inputs = InputKind.Uniform };

    /// <summary>A store of one dataset description; validation never loads arrays.</summary>
    private sealed class FixedDatasets(DatasetInfo dataset) : IDatasetStore
    {
        public DatasetInfo? Find(string id) => id == dataset.Id ? dataset : null;

        public ArrayData Load(string id) => throw new KeyNotFoundException(id);
    }
}
