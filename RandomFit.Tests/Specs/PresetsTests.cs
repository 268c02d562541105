using RandomFit.Training.Models;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Specs;

public sealed class PresetsTests
{
    [Fact]
    public void All_ListsTheArticleExamplesAndTheComparison()
    {
        Assert.Equal(
            [
                "article-example-1",
                "article-example-2",
                "article-example-3",
                "cnn-vs-mlp",
                "zhang-randomization",
                "pooling-ablation",
                "capacity-sweep",
            ],
            Presets.All.Select(p => p.Id));
    }

    [Theory]
    [InlineData("article-example-1")]
    [InlineData("article-example-2")]
    [InlineData("article-example-3")]
    [InlineData("cnn-vs-mlp")]
    [InlineData("zhang-randomization")]
    [InlineData("pooling-ablation")]
    [InlineData("capacity-sweep")]
    public void All_EveryPreset_ValidatesClean(string id)
    {
        var preset = Presets.Find(id)!;

        var errors = SpecValidator.Validate(preset.Spec, new LimitsOptions());

        Assert.Empty(errors);
    }

    [Fact]
    public void All_ArticlePresets_UseArticleSettings()
    {
        var articlePresets = Presets.All.Where(p => p.Id.StartsWith("article-", StringComparison.Ordinal) || p.Id == "cnn-vs-mlp");
        Assert.All(articlePresets, preset =>
        {
            var spec = preset.Spec;
            Assert.Equal((InputKind.Uniform, LabelKind.Random, 2), (spec.Data!.Inputs, spec.Data.Labels, spec.Data.Classes));
            Assert.Equal((OptimizerKind.Adam, 0.001, 32), (spec.Training!.Optimizer, spec.Training.LearningRate, spec.Training.BatchSize));
        });
    }

    [Fact]
    public void Find_CnnVsMlp_PairsModelsOverFiveSeeds()
    {
        var spec = Presets.Find("cnn-vs-mlp")!.Spec;

        Assert.Equal(["cnn", "mlp"], spec.Models!.Select(m => m.Name));
        Assert.Equal([0, 1, 2, 3, 4], spec.Seeds);
        Assert.Equal((100, 100, 20), (spec.Data!.TrainSamples!.Value, spec.Data.TestSamples, spec.Training!.Epochs!.Value));
    }

    [Fact]
    public void Find_ArticleExample3_IsSmallCnn()
    {
        var spec = Presets.Find("article-example-3")!.Spec;

        Assert.Equal((1, 10, 10), (spec.Data!.Shape!.Channels!.Value, spec.Data.Shape.Height!.Value, spec.Data.Shape.Width!.Value));
        Assert.Equal((100, 20, 100), (spec.Data.TrainSamples!.Value, spec.Data.TestSamples, spec.Training!.Epochs!.Value));
        Assert.Equal(8 * 9 + 8 + 8 * 4 * 4 + 1, ModelBuilder.CountParameters(spec.Models![0], spec.Data));
    }

    [Fact]
    public void Find_ZhangRandomization_HasSevenConditionsOfTheBrief()
    {
        var spec = Presets.Find("zhang-randomization")!.Spec;

        Assert.Equal(
            ["true-labels", "corrupted-0.5", "random-labels", "shuffled-pixels", "random-pixels", "gaussian", "uniform"],
            spec.Data!.Conditions!.Select(c => c.Name));
        Assert.Equal((1000, 200, 10, 30), (spec.Data.TrainSamples!.Value, spec.Data.TestSamples, spec.Data.Classes, spec.Training!.Epochs!.Value));
        Assert.True(spec.Data.Standardize);
        Assert.Equal([0, 1, 2], spec.Seeds);
    }

    [Fact]
    public void Find_PoolingAblation_VariesOnlyPooling()
    {
        var spec = Presets.Find("pooling-ablation")!.Spec;

        Assert.Equal([PoolKind.Max, PoolKind.Avg, PoolKind.None], spec.Models!.Select(m => m.Conv![0].Pool));
        Assert.Equal(Presets.Find("article-example-1")!.Spec.Data, spec.Data);
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        Assert.Null(Presets.Find("no-such-preset"));
    }
}
