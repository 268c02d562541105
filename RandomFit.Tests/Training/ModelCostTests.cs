using RandomFit.Training.Models;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Training;

public sealed class ModelCostTests
{
    private static ExperimentSpec PresetSpec(string id) => Presets.Find(id)!.Spec;

    [Fact]
    public void CountFlops_ArticleExample3Cnn_MatchesHandCount()
    {
        var spec = PresetSpec("article-example-3");

        // conv 8 3x3 on 1x10x10, valid: 8x8x8 outputs x 9 MACs = 4,608; pool to 8x4x4 = 128; dense 128 -> 1 = 128.
        var flops = ModelBuilder.CountFlops(spec.Models![0], spec.Data!);

        Assert.Equal(2 * (4_608 + 128), flops);
    }

    [Fact]
    public void CountFlops_ArticleExample2Mlp_MatchesHandCount()
    {
        var spec = PresetSpec("article-example-2");

        // 30,000 inputs -> 64 hidden -> 1 logit.
        var flops = ModelBuilder.CountFlops(spec.Models![0], spec.Data!);

        Assert.Equal(2L * ((30_000 * 64) + 64), flops);
    }

    [Fact]
    public void CountFlops_TwoConvBlocksSamePaddingAndDense_MatchesHandCount()
    {
        var model = new ModelSpec
        {
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 4, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 6, Kernel = 2, Padding = Padding.Valid, Pool = PoolKind.None },
            ],
            Dense = [5],
            BatchNorm = true,
        };
        var data = new DataSpec { Shape = new ShapeSpec { Channels = 2, Height = 8, Width = 8 }, Classes = 10 };

        // conv1: 4x8x8 outputs x 2x3x3 = 4,608; pool to 4x4x4. conv2: 6x3x3 outputs x 4x2x2 = 864.
        // dense 54 -> 5 = 270; output 5 -> 10 = 50.
        var flops = ModelBuilder.CountFlops(model, data);

        Assert.Equal(2 * (4_608 + 864 + 270 + 50), flops);
    }

    [Fact]
    public void CountFlops_GlobalPool_CountsDenseFromChannels()
    {
        var model = new ModelSpec
        {
            Kind = ModelKind.Cnn,
            Conv = [new ConvSpec { Filters = 3, Kernel = 1, Pool = PoolKind.None }],
            GlobalPool = true,
        };
        var data = new DataSpec { Shape = new ShapeSpec { Channels = 1, Height = 4, Width = 4 }, Classes = 2 };

        // conv: 3x4x4 outputs x 1 MAC = 48; global pool leaves 3 features; output 3 -> 1 = 3.
        Assert.Equal(2 * (48 + 3), ModelBuilder.CountFlops(model, data));
    }

    [Fact]
    public void WidthFor_ArticleExample1Cnn_PicksClosestWidth()
    {
        var spec = PresetSpec("article-example-1");
        var target = ModelBuilder.CountParameters(spec.Models![0], spec.Data!);

        var width = MatchedMlp.WidthFor(target, spec.Data!);

        // 32x3x3x3 + 32 = 896 conv parameters, then 32x49x49 = 76,832 features -> 1 logit.
        Assert.Equal(77_729, target);

        // Each hidden unit adds 30,000 + 1 + 1 parameters, so width 3 (90,007) beats width 2 (60,005).
        Assert.Equal(3, width);
    }

    public static TheoryData<long, int, int, int> Targets => new()
    {
        { 77_729, 3, 100, 2 },
        { 1, 1, 4, 2 },
        { 1_000, 1, 4, 10 },
        { 5_000_000, 3, 32, 10 },
        { 123_457, 1, 28, 10 },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void WidthFor_Target_NoOtherWidthIsCloser(long target, int channels, int side, int classes)
    {
        var data = new DataSpec { Shape = new ShapeSpec { Channels = channels, Height = side, Width = side }, Classes = classes };
        long CountFor(int hidden) =>
            ModelBuilder.CountParameters(new ModelSpec { Kind = ModelKind.Mlp, Hidden = [hidden] }, data);

        var width = MatchedMlp.WidthFor(target, data);
        var error = Math.Abs(CountFor(width) - target);
        var step = CountFor(2) - CountFor(1);

        Assert.True(width >= 1);
        Assert.True(error <= step, $"width {width} is {error} parameters off, more than one step of {step}");
        for (var other = Math.Max(1, width - 50); other <= width + 50; other++)
        {
            Assert.True(Math.Abs(CountFor(other) - target) >= error, $"width {other} is closer than {width}");
        }
    }
}
