using RandomFit.Training.Specs;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

/// <summary>The structured control is learnable, and a small CNN generalizes on it better than an MLP of its size.</summary>
[Collection(TorchCollection.Name)]
public sealed class StructuredLearningTests(ITestOutputHelper output)
{
    // conv 8 5x5 same, max pool 2, conv 16 3x3 same, max pool 2, global average pool, output: 1,444 parameters.
    private static readonly ModelSpec PoolingCnn = new()
    {
        Name = "cnn",
        Kind = ModelKind.Cnn,
        Conv =
        [
            new ConvSpec { Filters = 8, Kernel = 5, Padding = Padding.Same },
            new ConvSpec { Filters = 16, Kernel = 3, Padding = Padding.Same },
        ],
        GlobalPool = true,
    };

    // 256 inputs, 5 hidden units, 4 outputs: 1,309 parameters.
    private static readonly ModelSpec SmallMlp = Mlp(5);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_StructuredData_CnnBeatsChanceAndMlp(int seed)
    {
        var spec = Spec(PoolingCnn, channels: 1, side: 16, train: 1024, test: 256, classes: 4, epochs: 10, batchSize: 32)
            with
            {
                Models = [PoolingCnn, SmallMlp],
                Data = new DataSpec
                {
                    Shape = new ShapeSpec { Channels = 1, Height = 16, Width = 16 },
                    TrainSamples = 1024,
                    TestSamples = 256,
                    Classes = 4,
                    Inputs = InputKind.Structured,
                    Labels = LabelKind.True,
                },
            };
        spec = spec with { Training = spec.Training! with { LearningRate = 0.01 } };

        var cnn = Train(spec, "cnn", seed);
        var mlp = Train(spec, "mlp", seed);

        var cnnTest = cnn.Epochs[^1].TestAccuracy!.Value;
        var mlpTest = mlp.Epochs[^1].TestAccuracy!.Value;
        output.WriteLine($"cnn {cnn.ParameterCount} parameters, test {cnnTest:F3}; mlp {mlp.ParameterCount}, test {mlpTest:F3}");
        Assert.True(cnnTest >= 0.7, $"CNN test accuracy {cnnTest:F3}, chance is 0.25");
        Assert.True(cnnTest >= mlpTest + 0.2, $"CNN test accuracy {cnnTest:F3}, MLP {mlpTest:F3}");
        Assert.InRange(mlp.ParameterCount, cnn.ParameterCount / 2, cnn.ParameterCount * 2);
    }

    // conv 8 3x3 same, max pool 2, conv 16 3x3 same, max pool 2, flatten (16x4x4), output: 3,818 parameters.
    private static readonly ModelSpec FlatteningCnn = new()
    {
        Name = "cnn",
        Kind = ModelKind.Cnn,
        Conv =
        [
            new ConvSpec { Filters = 8, Kernel = 3, Padding = Padding.Same },
            new ConvSpec { Filters = 16, Kernel = 3, Padding = Padding.Same },
        ],
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_StructuredTenClasses_CnnLearnsInFewEpochs(int seed)
    {
        var spec = Spec(FlatteningCnn, channels: 1, side: 16, train: 1000, test: 500, classes: 10, epochs: 10, batchSize: 32)
            with
            {
                Data = new DataSpec
                {
                    Shape = new ShapeSpec { Channels = 1, Height = 16, Width = 16 },
                    TrainSamples = 1000,
                    TestSamples = 500,
                    Classes = 10,
                    Inputs = InputKind.Structured,
                    Labels = LabelKind.True,
                },
            };
        spec = spec with { Training = spec.Training! with { LearningRate = 0.01 } };

        var cnn = Train(spec, "cnn", seed);

        var test = cnn.Epochs[^1].TestAccuracy!.Value;
        output.WriteLine($"cnn {cnn.ParameterCount} parameters, test accuracy after 10 epochs {test:F3}");
        Assert.Equal(3818, cnn.ParameterCount);
        // Measured 0.58 for seeds 1 and 2 on CPU, where chance is 0.1.
        Assert.InRange(test, 0.4, 0.9);
    }
}
