using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using TorchSharp;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class DataGeneratorTests
{
    private static readonly DataSpec Images = new()
    {
        Shape = new ShapeSpec { Channels = 2, Height = 4, Width = 5 },
        TrainSamples = 50,
        TestSamples = 20,
        Classes = 3,
    };

    [Fact]
    public void Generate_TwoModelsOfOneExperiment_SeeIdenticalData()
    {
        var spec = Spec(Mlp(8), test: 16) with { Models = [Mlp(8), SmallCnn()] };
        var seedsMlp = RunSeeds.For(spec.Training!, 4);
        var seedsCnn = RunSeeds.For(spec.Training! with { InitSeed = 9, OrderSeed = 11 }, 4);

        using var forMlp = DataGenerator.Generate(spec.ResolveData(null), seedsMlp.Data);
        using var forCnn = DataGenerator.Generate(spec.ResolveData(null), seedsCnn.Data);

        Assert.True(Same(forMlp.TrainInputs, forCnn.TrainInputs));
        Assert.True(Same(forMlp.TrainLabels, forCnn.TrainLabels));
        Assert.True(Same(forMlp.TestInputs!, forCnn.TestInputs!));
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveDifferentData()
    {
        using var first = DataGenerator.Generate(Images, 1);
        using var second = DataGenerator.Generate(Images, 2);

        Assert.False(Same(first.TrainInputs, second.TrainInputs));
    }

    [Fact]
    public void Generate_UniformInputs_StayInRange()
    {
        using var data = DataGenerator.Generate(Images, 0);

        Assert.Equal([50, 2, 4, 5], data.TrainInputs.shape);
        Assert.Equal([20, 2, 4, 5], data.TestInputs!.shape);
        Assert.True(data.TrainInputs.min().item<float>() >= 0);
        Assert.True(data.TrainInputs.max().item<float>() < 1);
        Assert.Equal(0, data.TrainLabels.min().item<long>());
        Assert.Equal(2, data.TrainLabels.max().item<long>());
    }

    [Fact]
    public void Generate_NoTestSamples_HasNoTestSplit()
    {
        using var data = DataGenerator.Generate(Images with { TestSamples = 0 }, 0);

        Assert.Null(data.TestInputs);
        Assert.Null(data.TestLabels);
    }

    [Fact]
    public void Generate_ShuffledPixels_ShareOnePermutation()
    {
        using var raw = DataGenerator.Generate(Images, 3);
        using var shuffled = DataGenerator.Generate(Images with { Pixels = PixelTransform.Shuffled }, 3);

        // Sorting each image's values per channel undoes any permutation of pixel positions.
        using var rawSorted = raw.TrainInputs.reshape(50, 2, 20).sort(2).Values;
        using var shuffledSorted = shuffled.TrainInputs.reshape(50, 2, 20).sort(2).Values;
        Assert.True(Same(rawSorted, shuffledSorted));
        Assert.False(Same(raw.TrainInputs, shuffled.TrainInputs));
        using var orderOfFirst = FindPermutation(raw.TrainInputs[0, 0], shuffled.TrainInputs[0, 0]);
        using var orderOfTest = FindPermutation(raw.TestInputs![5, 1], shuffled.TestInputs![5, 1]);
        Assert.True(Same(orderOfFirst, orderOfTest));
    }

    [Fact]
    public void Generate_RandomPixels_KeepsEachImagesValues()
    {
        using var raw = DataGenerator.Generate(Images, 3);
        using var permuted = DataGenerator.Generate(Images with { Pixels = PixelTransform.Random }, 3);

        using var rawSorted = raw.TrainInputs.reshape(50, 2, 20).sort(2).Values;
        using var permutedSorted = permuted.TrainInputs.reshape(50, 2, 20).sort(2).Values;
        Assert.True(Same(rawSorted, permutedSorted));
        using var first = FindPermutation(raw.TrainInputs[0, 0], permuted.TrainInputs[0, 0]);
        using var second = FindPermutation(raw.TrainInputs[1, 0], permuted.TrainInputs[1, 0]);
        Assert.False(Same(first, second));
    }

    [Fact]
    public void Generate_GaussianPixels_MatchTrainingMeanAndVariance()
    {
        var large = Images with { TrainSamples = 2000, TestSamples = 0 };

        using var gaussian = DataGenerator.Generate(large with { Pixels = PixelTransform.Gaussian }, 3);

        // Uniform [0, 1) has mean 0.5 and standard deviation sqrt(1/12) = 0.2887.
        Assert.InRange(gaussian.TrainInputs.mean().item<float>(), 0.49, 0.51);
        Assert.InRange(gaussian.TrainInputs.std().item<float>(), 0.28, 0.30);
        Assert.True(gaussian.TrainInputs.min().item<float>() < 0);
    }

    [Fact]
    public void Generate_Standardize_CentersEachTrainingChannel()
    {
        using var data = DataGenerator.Generate(Images with { Standardize = true }, 3);

        using var mean = data.TrainInputs.mean([0, 2, 3]);
        using var std = data.TrainInputs.std([0, 2, 3], unbiased: false);
        Assert.True(mean.abs().max().item<float>() < 1e-5);
        Assert.True((std - 1).abs().max().item<float>() < 1e-4);
    }

    // Positions of the raw image's values in the transformed image, as an index tensor.
    private static torch.Tensor FindPermutation(torch.Tensor raw, torch.Tensor transformed)
    {
        using var rawFlat = raw.flatten();
        using var transformedFlat = transformed.flatten();
        using var matches = transformedFlat.unsqueeze(1).eq(rawFlat.unsqueeze(0));
        return matches.to_type(torch.ScalarType.Int64).argmax(1);
    }
}
