using System.Runtime.Intrinsics;
using RandomFit.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace RandomFit.Tests.Training;

/// <summary>The one-pass loss, correct counts and loss gradient of narrow stacked logits, against libtorch.</summary>
[Collection(TorchCollection.Name)]
public sealed class NarrowLogitsTests
{
    [Theory]
    [InlineData(10, 21)]
    [InlineData(10, 8)]
    [InlineData(2, 5)]
    [InlineData(3, 64)]
    public void LossGradient_MatchesLibtorch(int classes, int batch)
    {
        using var logits = Logits(3, batch, classes, scale: 4, seed: 1);
        using var labels = randint(0, classes, [3, batch], generator: Generator(2));
        using var contiguous = logits.contiguous();
        // Without AVX2 the trainer keeps libtorch's path. The loops still run here, in software vectors.
        Assert.Equal(Vector256.IsHardwareAccelerated, NarrowLogits.Applies(logits, labels));
        Assert.False(NarrowLogits.Applies(contiguous, labels));

        using var actual = NarrowLogits.LossGradient(logits, labels);
        using var expected = Objective.StackedLossGradient(contiguous, labels);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-8), MaxDifference(actual, expected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(257)]
    public void Applies_OneOrTooManyClasses_False(int classes)
    {
        using var logits = Logits(2, 9, classes, scale: 1, seed: 7);
        using var labels = zeros([2, 9], ScalarType.Int64);

        Assert.False(NarrowLogits.Applies(logits, labels));
    }

    [Fact]
    public void AddLossAndHits_TwoRanges()
    {
        // Logits 200 apart push most exponentials below the float range, where exp gives 0.
        const int seeds = 2, batch = 21, classes = 10, split = 13;
        using var logits = Logits(seeds, batch, classes, scale: 200, seed: 3);
        using var labels = randint(0, classes, [seeds, batch], generator: Generator(4));

        // Row 0 of seed 0 ties every class, so the prediction is the first class, as argmax picks it.
        logits[0, 0].fill_(1.5f);
        labels[0, 0] = 0;

        var losses = new double[seeds];
        var hits = new long[seeds];
        NarrowLogits.AddLossAndHits(logits, labels, 0, split, losses, hits);
        NarrowLogits.AddLossAndHits(logits, labels, split, batch - split, losses, hits);

        using var rows = logits.reshape(seeds * batch, classes);
        using var rowLabels = labels.reshape(seeds * batch);
        using var expectedLosses = cross_entropy(rows, rowLabels, reduction: nn.Reduction.None).reshape(seeds, batch).to_type(ScalarType.Float64).sum([1]);
        using var expectedHits = logits.argmax(2).eq(labels).sum([1], type: ScalarType.Int64);
        for (var k = 0; k < seeds; k++)
        {
            Assert.Equal(expectedLosses[k].item<double>(), losses[k], 1e-6 * expectedLosses[k].item<double>());
            Assert.Equal(expectedHits[k].item<long>(), hits[k]);
        }

        Assert.True(losses[0] > 1000, $"seed 0's loss sum is {losses[0]}, too small for logits 200 apart");
        Assert.True(hits[0] >= 1);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AddLossAndHits_NonFiniteLogit_OnlyThatSeed(float value)
    {
        using var logits = Logits(2, 11, 4, scale: 1, seed: 5);
        using var labels = randint(0, 4, [2, 11], generator: Generator(6));
        logits[1, 9, labels[1, 9].item<long>()] = value;
        var losses = new double[2];
        var hits = new long[2];

        NarrowLogits.AddLossAndHits(logits, labels, 0, 11, losses, hits);

        using var expected = cross_entropy(logits[1], labels[1], reduction: nn.Reduction.Sum);
        Assert.False(float.IsFinite(expected.item<float>()));
        Assert.True(double.IsFinite(losses[0]), $"seed 0's loss is {losses[0]}");
        Assert.False(double.IsFinite(losses[1]), $"seed 1's loss is {losses[1]}");
    }

    [Fact]
    public void Exp_AcrossFloatRange()
    {
        var worst = 0.0;
        for (var x = -87.3; x <= 88; x += 0.0137)
        {
            var actual = (double)NarrowLogits.Exp(Vector256.Create((float)x)).GetElement(0);
            var expected = Math.Exp((float)x);
            worst = Math.Max(worst, Math.Abs(actual - expected) / expected);
        }

        // One unit in the last place of a float is at most 2^-23 of the value, about 1.19e-7.
        Assert.True(worst < 2.4e-7, $"largest relative error {worst:E2}");
        Assert.Equal(1f, NarrowLogits.Exp(Vector256<float>.Zero).GetElement(0));
        Assert.Equal(0f, NarrowLogits.Exp(Vector256.Create(-100f)).GetElement(0));
        Assert.True(float.IsNaN(NarrowLogits.Exp(Vector256.Create(float.NaN)).GetElement(0)));
    }

    // Logits [K, B, C] as a view of memory [K, C, B], the layout of a narrow stacked layer's output.
    private static Tensor Logits(int seeds, int batch, int classes, float scale, ulong seed)
    {
        using var memory = randn([seeds, classes, batch], generator: Generator(seed)).mul_(scale);
        return memory.transpose(1, 2);
    }

    private static string MaxDifference(Tensor actual, Tensor expected)
    {
        using var difference = actual.sub(expected).abs().max();
        return $"largest difference {difference.item<float>():E2}";
    }

    private static TorchSharp.torch.Generator Generator(ulong seed) => new(seed, CPU);
}
