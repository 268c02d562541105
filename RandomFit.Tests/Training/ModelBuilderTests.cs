using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using TorchSharp;
using static RandomFit.Tests.Training.TrainingHarness;
using Padding = RandomFit.Training.Specs.Padding;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class ModelBuilderTests
{
    private static readonly DataSpec SmallImages = new()
    {
        Shape = new ShapeSpec { Channels = 3, Height = 8, Width = 8 },
        TrainSamples = 64,
        Classes = 10,
    };

    public static TheoryData<string, ModelSpec, int> Models => new()
    {
        { "mlp 256", Mlp(256), 10 },
        { "mlp 256-256", Mlp(256, 256), 10 },
        { "mlp, two classes", Mlp(32), 2 },
        { "mlp with batch norm and dropout", Mlp(32, 16) with { BatchNorm = true, Dropout = 0.3 }, 10 },
        { "cnn same padding", SmallCnn(), 10 },
        { "cnn with batch norm", SmallCnn() with { BatchNorm = true, Dense = [20] }, 10 },
        { "cnn global pool", SmallCnn() with { GlobalPool = true, Dense = [8] }, 2 },
        {
            "cnn even kernel, avg pool",
            new ModelSpec
            {
                Name = "cnn",
                Kind = ModelKind.Cnn,
                Conv = [new ConvSpec { Filters = 4, Kernel = 4, Padding = Padding.Same, Pool = PoolKind.Avg, PoolSize = 3 }],
            },
            10
        },
        {
            "cnn valid, no pool, pytorch init",
            new ModelSpec
            {
                Name = "cnn",
                Kind = ModelKind.Cnn,
                Conv = [new ConvSpec { Filters = 5, Kernel = 3, Pool = PoolKind.None }],
                Init = InitKind.PyTorch,
            },
            3
        },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void CountParameters_MatchesBuiltModel(string label, ModelSpec model, int classes)
    {
        var data = SmallImages with { Classes = classes };
        using var generator = new torch.Generator(1, torch.CPU);
        using var built = ModelBuilder.Build(model, data, generator, generator);
        using var input = torch.randn(2, 3, 8, 8);

        using var output = built.call(input);

        Assert.True(built.parameters().Sum(p => p.numel()) == ModelBuilder.CountParameters(model, data), label);
        Assert.Equal([2, classes == 2 ? 1 : classes], output.shape);
    }

    [Fact]
    public void CountParameters_OneHiddenLayerMlp_Is51978()
    {
        Assert.Equal(51_978, ModelBuilder.CountParameters(Mlp(256), SmallImages));
    }

    [Fact]
    public void CountParameters_TwoBlockCnn_Is6378()
    {
        Assert.Equal(6_378, ModelBuilder.CountParameters(SmallCnn(), SmallImages));
    }

    [Fact]
    public void Build_TwoLayerMlp_RegistersSixParameterTensors()
    {
        using var generator = new torch.Generator(1, torch.CPU);

        using var built = ModelBuilder.Build(Mlp(256, 256), SmallImages, generator, generator);

        Assert.Equal(6, built.parameters().Count());
        Assert.Equal(117_770, built.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Build_DeepCnn_MatchesKnownSizes()
    {
        var data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 100, Width = 100 },
            TrainSamples = 100,
            TestSamples = 20,
            Classes = 10,
        };
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 32, Kernel = 3, Pool = PoolKind.None },
                new ConvSpec { Filters = 32, Kernel = 3 },
                new ConvSpec { Filters = 64, Kernel = 3, Pool = PoolKind.None },
                new ConvSpec { Filters = 64, Kernel = 3 },
            ],
            Dense = [256],
            Dropout = 0.25,
        };
        using var generator = new torch.Generator(1, torch.CPU);

        using var built = ModelBuilder.Build(model, data, generator, generator);

        Assert.Equal(30_976, FeatureMaps.FlattenWidth(model, data.Shape));
        Assert.Equal(7_998_250, ModelBuilder.CountParameters(model, data));
        Assert.Equal(7_998_250, built.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(InitKind.Keras)]
    [InlineData(InitKind.PyTorch)]
    public void Build_SameInitSeed_GivesIdenticalWeights(InitKind init)
    {
        var model = SmallCnn() with { Init = init, Dense = [16] };
        using var first = new torch.Generator(5, torch.CPU);
        using var second = new torch.Generator(5, torch.CPU);

        using var a = ModelBuilder.Build(model, SmallImages, first, first);
        using var b = ModelBuilder.Build(model, SmallImages, second, second);

        Assert.All(a.parameters().Zip(b.parameters()), pair => Assert.True(Same(pair.First, pair.Second)));
    }

    [Fact]
    public void Build_KerasInit_UsesGlorotBoundAndZeroBiases()
    {
        using var generator = new torch.Generator(5, torch.CPU);

        using var built = ModelBuilder.Build(Mlp(256), SmallImages, generator, generator);

        var parameters = built.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var bound = Math.Sqrt(6.0 / (192 + 256));
        Assert.True(parameters["layers.dense1.weight"].abs().max().item<float>() <= bound);
        Assert.True(parameters["layers.dense1.weight"].abs().max().item<float>() > 0.9 * bound);
        Assert.Equal(0f, parameters["layers.dense1.bias"].abs().sum().item<float>());
    }
}
