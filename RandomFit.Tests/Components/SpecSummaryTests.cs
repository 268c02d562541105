using Bunit;
using RandomFit.Training.Specs;
using RandomFit.Web.Components.Pages.Experiments;

namespace RandomFit.Tests.Components;

public sealed class SpecSummaryTests : ComponentTestBase
{
    [Fact]
    public void Models_NamedAfterKind_ShowNameOnce()
    {
        var spec = Presets.Find("cnn-vs-mlp")!.Spec with
        {
            Models =
            [
                new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 8, Kernel = 3 }], Dense = [] },
                new ModelSpec { Name = "wide", Kind = ModelKind.Mlp, Hidden = [64] },
                new ModelSpec { Name = "MLP", Kind = ModelKind.Mlp, Hidden = [] },
            ],
        };

        var summary = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec));

        var models = summary.Find("[data-testid=spec-summary]").TextContent;
        Assert.Contains("cnn: conv 8 3x3", models);
        Assert.DoesNotContain("cnn (cnn", models);
        Assert.Contains("wide (mlp: hidden 64)", models);
        Assert.Contains("; MLP", models);
        Assert.DoesNotContain("MLP (mlp", models);
    }

    [Fact]
    public void Models_NonDefaultLayerOptions_AreNamed()
    {
        var spec = Presets.Find("cnn-vs-mlp")!.Spec with
        {
            Models =
            [
                new ModelSpec
                {
                    Name = "gp",
                    Kind = ModelKind.Cnn,
                    Conv = [new ConvSpec { Filters = 8, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.None }],
                    GlobalPool = true,
                    Dense = [16],
                    Dropout = 0.25,
                    BatchNorm = true,
                },
                new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 4, Kernel = 5 }] },
            ],
        };

        var models = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec))
            .Find("[data-testid=spec-summary]").TextContent;

        Assert.Contains("gp (cnn: conv 8 3x3 same, global avg pool, dense 16, dropout 0.25, batch norm)", models);
        Assert.Contains("cnn: conv 4 5x5 max pool 2", models);
    }

    [Fact]
    public void Models_LongUnspacedName_WrapsAnywhere()
    {
        var preset = Presets.Find("article-example-3")!.Spec;
        var longName = new string('m', 200);
        var spec = preset with { Models = [preset.Models![0] with { Name = longName }] };

        var summary = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec));
        var values = summary.FindAll("[data-testid=spec-summary] .mud-typography-body1");

        Assert.Contains(values, value => value.TextContent.Contains(longName, StringComparison.Ordinal));
        Assert.All(values, value => Assert.Contains("rf-wrap-anywhere", value.ClassList));
    }

    [Fact]
    public void Training_StackedExecution_IsNamed()
    {
        var preset = Presets.Find("article-example-3")!.Spec;
        var stacked = preset with { Training = preset.Training! with { Execution = ExecutionMode.Stacked } };

        var stackedText = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, stacked))
            .Find("[data-testid=spec-summary]").TextContent;
        var separateText = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, preset))
            .Find("[data-testid=spec-summary]").TextContent;

        Assert.Contains("batch 32 · stacked execution", stackedText);
        Assert.DoesNotContain("stacked", separateText);
    }

    // The training line named only epochs, optimizer, rate and batch, so an SGD experiment with momentum 0.9 read
    // the same as one without, and fixed seeds, which make every run share that randomness, were not shown at all.
    [Fact]
    public void Training_SetOptions_AreNamed()
    {
        var preset = Presets.Find("article-example-3")!.Spec;
        var spec = preset with
        {
            Training = preset.Training! with
            {
                Optimizer = OptimizerKind.Sgd,
                LearningRate = 0.1,
                Momentum = 0.9,
                Nesterov = true,
                WeightDecay = 5e-4,
                DataSeed = 7,
                InitSeed = 0,
                OrderSeed = 2147483647,
                Execution = ExecutionMode.Stacked,
            },
        };

        var text = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec))
            .Find("[data-testid=spec-training] .mud-typography-body1").TextContent.Trim();

        Assert.Equal(
            "100 epochs · sgd 0.1, momentum 0.9, Nesterov · batch 32 · weight decay 0.0005 · data seed 7 · init seed 0 · "
            + "order seed 2147483647 · stacked execution",
            text);
    }

    // Adam ignores momentum and Nesterov, so the line leaves them out.
    [Fact]
    public void Training_AdamWithMomentum_OmitsMomentum()
    {
        var preset = Presets.Find("article-example-3")!.Spec;
        var spec = preset with { Training = preset.Training! with { Momentum = 0.9, Nesterov = true } };

        var text = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec))
            .Find("[data-testid=spec-training] .mud-typography-body1").TextContent.Trim();

        Assert.Equal("100 epochs · adam 0.001 · batch 32", text);
    }

    [Fact]
    public void Summary_SmallNumbers_ReadCompact()
    {
        var preset = Presets.Find("cnn-vs-mlp")!.Spec;
        var spec = preset with
        {
            Data = preset.Data! with
            {
                Conditions = [new DataCondition { Name = "few", Labels = LabelKind.Corrupted, Corruption = 1e-5 }],
            },
            Models = [preset.Models![0] with { Name = "cnn", Dropout = 5e-7 }],
            Training = preset.Training! with { LearningRate = 1e-6 },
        };

        var text = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec))
            .Find("[data-testid=spec-summary]").TextContent;

        Assert.Contains("adam 1e-6 · batch", text);
        Assert.Contains("few (corrupted labels, corruption 1e-5)", text);
        Assert.Contains("dropout 5e-7", text);
    }

    [Fact]
    public void Seeds_AddedOutOfOrder_ShownAscending()
    {
        // Seeds added through POST /api/experiments/{id}/seeds are appended to the spec in the order they came.
        var spec = Presets.Find("article-example-3")!.Spec with { Seeds = [0, 1, 2147483647, 3, 4, 5, 2] };

        var summary = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec));
        var seeds = summary.Find("[data-testid=spec-seeds] .mud-typography-body1").TextContent.Trim();

        Assert.Equal("0-5, 2147483647", seeds);
    }

    [Fact]
    public void Summary_WithConditions()
    {
        var spec = Presets.Find("cnn-vs-mlp")!.Spec;
        spec = spec with
        {
            Data = spec.Data! with
            {
                Conditions =
                [
                    new DataCondition { Name = "same" },
                    new DataCondition { Name = "rand", Labels = LabelKind.Random, TrainSamples = 200 },
                    new DataCondition { Name = "corr", Labels = LabelKind.Corrupted, Corruption = 0.5, CorruptTest = true },
                ],
            },
        };

        var summary = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, spec));

        var conditions = summary.Find("[data-testid=spec-conditions]").TextContent;
        Assert.Contains("Conditions, each overriding the base data", conditions);
        Assert.Contains("same (base data); rand (200 train, random labels); corr (corrupted labels, corruption 0.5, corrupted test labels)", conditions);
        Assert.Contains("Base data", summary.Find("[data-testid=spec-summary]").TextContent);
    }

    [Fact]
    public void Summary_WithoutConditions()
    {
        var summary = Render<SpecSummary>(parameters => parameters.Add(p => p.Spec, Presets.Find("cnn-vs-mlp")!.Spec));

        Assert.Empty(summary.FindAll("[data-testid=spec-conditions]"));
        Assert.DoesNotContain("Base data", summary.Find("[data-testid=spec-summary]").TextContent);
    }
}
