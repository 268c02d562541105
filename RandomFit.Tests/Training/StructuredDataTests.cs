using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class StructuredDataTests
{
    private static readonly DataSpec Structured = new()
    {
        Shape = new ShapeSpec { Channels = 2, Height = 9, Width = 7 },
        TrainSamples = 5000,
        TestSamples = 1000,
        Classes = 10,
        Inputs = InputKind.Structured,
        Labels = LabelKind.True,
    };

    [Fact]
    public void Generate_Structured_HasShapeAndEveryClass()
    {
        using var data = DataGenerator.Generate(Structured, 1);

        Assert.Equal([5000, 2, 9, 7], data.TrainInputs.shape);
        Assert.Equal([1000, 2, 9, 7], data.TestInputs!.shape);
        using var counts = data.TrainLabels.bincount(null);
        Assert.Equal(10, counts.shape[0]);
        Assert.True(counts.min().item<long>() > 400);
    }

    [Fact]
    public void Generate_StructuredSameSeed_IsIdentical()
    {
        using var first = DataGenerator.Generate(Structured, 4);
        using var second = DataGenerator.Generate(Structured, 4);
        using var other = DataGenerator.Generate(Structured, 5);

        Assert.True(Same(first.TrainInputs, second.TrainInputs));
        Assert.True(Same(first.TestLabels!, second.TestLabels!));
        Assert.False(Same(first.TrainInputs, other.TrainInputs));
    }

    [Fact]
    public void Generate_CorruptedLabels_ChangeFractionNearP()
    {
        using var clean = DataGenerator.Generate(Structured, 2);
        using var corrupted = DataGenerator.Generate(Structured with { Labels = LabelKind.Corrupted, Corruption = 0.5 }, 2);

        // A replaced label is a uniform draw over 10 classes, so it differs from the true one with probability
        // 0.5 * 0.9 = 0.45; four binomial standard deviations at n = 5000 are about 0.028.
        using var changed = clean.TrainLabels.ne(corrupted.TrainLabels).to_type(TorchSharp.torch.ScalarType.Float32).mean();
        Assert.InRange(changed.item<float>(), 0.45 - 0.028, 0.45 + 0.028);
        Assert.True(Same(clean.TrainInputs, corrupted.TrainInputs));
        Assert.True(Same(clean.TestLabels!, corrupted.TestLabels!));
    }

    [Fact]
    public void Generate_CorruptTest_CorruptsTestLabelsToo()
    {
        using var clean = DataGenerator.Generate(Structured, 2);
        var spec = Structured with { Labels = LabelKind.Corrupted, Corruption = 1.0, CorruptTest = true };

        using var corrupted = DataGenerator.Generate(spec, 2);

        // With p = 1 every label is redrawn, so 90% differ; 1000 test labels put 4 sigma at about 0.04.
        using var changed = clean.TestLabels!.ne(corrupted.TestLabels!).to_type(TorchSharp.torch.ScalarType.Float32).mean();
        Assert.InRange(changed.item<float>(), 0.86, 0.94);
    }

    [Fact]
    public void Generate_RandomLabelsOnStructured_AreUnrelatedToClasses()
    {
        using var clean = DataGenerator.Generate(Structured, 3);
        using var random = DataGenerator.Generate(Structured with { Labels = LabelKind.Random }, 3);

        using var agree = clean.TrainLabels.eq(random.TrainLabels).to_type(TorchSharp.torch.ScalarType.Float32).mean();
        Assert.InRange(agree.item<float>(), 0.07, 0.13);
    }

    [Fact]
    public void Generate_GaussianOnStructured_MatchesMeanAndVariance()
    {
        using var structured = DataGenerator.Generate(Structured, 6);
        using var gaussian = DataGenerator.Generate(Structured with { Pixels = PixelTransform.Gaussian }, 6);

        long[] dims = [0, 2, 3];
        using var meanGap = structured.TrainInputs.mean(dims).sub(gaussian.TrainInputs.mean(dims)).abs().max();
        using var structuredVariance = structured.TrainInputs.var(dims);
        using var gaussianVariance = gaussian.TrainInputs.var(dims);
        using var varianceRatio = gaussianVariance.div(structuredVariance);
        Assert.True(meanGap.item<float>() < 0.01);
        Assert.InRange(varianceRatio.min().item<float>(), 0.98, 1.02);
        Assert.InRange(varianceRatio.max().item<float>(), 0.98, 1.02);
        Assert.False(Same(structured.TrainInputs, gaussian.TrainInputs));
    }

    [Fact]
    public void Generate_ShuffledStructured_KeepsEachImagesValues()
    {
        using var raw = DataGenerator.Generate(Structured, 7);
        using var shuffled = DataGenerator.Generate(Structured with { Pixels = PixelTransform.Shuffled }, 7);

        using var rawSorted = raw.TrainInputs.reshape(5000, 2, 63).sort(2).Values;
        using var shuffledSorted = shuffled.TrainInputs.reshape(5000, 2, 63).sort(2).Values;
        Assert.True(Same(rawSorted, shuffledSorted));
        Assert.False(Same(raw.TrainInputs, shuffled.TrainInputs));
    }

    [Fact]
    public void Generate_EachCondition_UsesItsOwnData()
    {
        var spec = Spec(Mlp(4)) with
        {
            Data = Structured with
            {
                Conditions =
                [
                    new DataCondition { Name = "true" },
                    new DataCondition { Name = "random", Labels = LabelKind.Random },
                    new DataCondition { Name = "small", TrainSamples = 10, Inputs = InputKind.Uniform, Labels = LabelKind.Random },
                ],
            },
        };

        using var trueLabels = DataGenerator.Generate(spec.ResolveData("true"), 8);
        using var randomLabels = DataGenerator.Generate(spec.ResolveData("random"), 8);
        using var small = DataGenerator.Generate(spec.ResolveData("small"), 8);

        Assert.True(Same(trueLabels.TrainInputs, randomLabels.TrainInputs));
        Assert.False(Same(trueLabels.TrainLabels, randomLabels.TrainLabels));
        Assert.Equal([10, 2, 9, 7], small.TrainInputs.shape);
        Assert.True(small.TrainInputs.min().item<float>() >= 0);
    }
}
