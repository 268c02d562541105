using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Services;

public sealed class SlowdownFactorTests
{
    private const double Tolerance = 1e-12;

    private static readonly ModelSpec[] Models =
    [
        new() { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 2, Kernel = 3 }] },
        new() { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [4] },
    ];

    private static ExperimentSpec Spec(params DataCondition[] conditions) => new()
    {
        Name = "slowdown",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 1, Height = 4, Width = 4 },
            TrainSamples = 4,
            Labels = LabelKind.Random,
            Conditions = conditions.Length == 0 ? null : conditions,
        },
        Models = Models,
        Training = new TrainingSpec { Epochs = 20 },
        Seeds = [0, 1],
    };

    private static RunOutcome Outcome(string model, string? condition, int seed, int? epochsToFit) =>
        new($"{model}-{condition}-{seed}", model, condition, seed, seed, epochsToFit is null ? 0.5 : 1.0, null, epochsToFit);

    private static CohortSummary Cohort(IReadOnlyList<CohortSummary> cohorts, string model, string? condition) =>
        cohorts.Single(c => c.Model == model && c.Condition == condition);

    [Fact]
    public void Summarise_RandomAndTrueLabels_DividesMeanEpochs()
    {
        var spec = Spec(
            new DataCondition { Name = "true", Labels = LabelKind.True },
            new DataCondition { Name = "random", Labels = LabelKind.Random },
            new DataCondition { Name = "corrupted", Labels = LabelKind.Corrupted, Corruption = 0.5 });
        RunOutcome[] outcomes =
        [
            Outcome("cnn", "true", 0, 2),
            Outcome("cnn", "true", 1, 4),
            Outcome("cnn", "random", 0, 9),
            Outcome("cnn", "random", 1, 15),
            Outcome("cnn", "corrupted", 0, 6),
            Outcome("mlp", "true", 0, 2),
            Outcome("mlp", "random", 0, 5),
            Outcome("mlp", "random", 1, null),
        ];

        var cohorts = CohortSummaries.Summarise(spec, outcomes);

        // cnn: mean 12 epochs on random labels against mean 3 on true labels.
        Assert.Equal(4.0, Cohort(cohorts, "cnn", "random").SlowdownFactor!.Value, Tolerance);
        Assert.Null(Cohort(cohorts, "cnn", "true").SlowdownFactor);
        Assert.Null(Cohort(cohorts, "cnn", "corrupted").SlowdownFactor);

        // One mlp run never fit its random labels, so a mean over the other would understate the slowdown.
        Assert.Null(Cohort(cohorts, "mlp", "random").SlowdownFactor);
    }

    [Fact]
    public void Summarise_ConditionDifferingOnlyInLabels_IsPreferred()
    {
        var spec = Spec(
            new DataCondition { Name = "true-10", Labels = LabelKind.True, Classes = 10 },
            new DataCondition { Name = "true-2", Labels = LabelKind.True },
            new DataCondition { Name = "random", Labels = LabelKind.Random });
        RunOutcome[] outcomes =
        [
            Outcome("cnn", "true-10", 0, 10),
            Outcome("cnn", "true-2", 0, 2),
            Outcome("cnn", "random", 0, 8),
        ];

        var cohorts = CohortSummaries.Summarise(spec, outcomes);

        Assert.Equal(4.0, Cohort(cohorts, "cnn", "random").SlowdownFactor!.Value, Tolerance);
    }

    [Fact]
    public void Summarise_NoLabelOnlyMatch_UsesSameInputs()
    {
        var spec = Spec(
            new DataCondition { Name = "true-big", Labels = LabelKind.True, TrainSamples = 8 },
            new DataCondition { Name = "true-10", Labels = LabelKind.True, Classes = 10 },
            new DataCondition { Name = "random", Labels = LabelKind.Random });
        RunOutcome[] outcomes =
        [
            Outcome("cnn", "true-big", 0, 1),
            Outcome("cnn", "true-10", 0, 3),
            Outcome("cnn", "random", 0, 6),
        ];

        var cohorts = CohortSummaries.Summarise(spec, outcomes);

        // true-big has other inputs (8 samples, not 4), so the 10-class condition on the same inputs is used.
        Assert.Equal(2.0, Cohort(cohorts, "cnn", "random").SlowdownFactor!.Value, Tolerance);
    }

    [Fact]
    public void Summarise_OnlyOtherInputs_HasNullFactor()
    {
        var spec = Spec(
            new DataCondition { Name = "true-big", Labels = LabelKind.True, TrainSamples = 8 },
            new DataCondition { Name = "random", Labels = LabelKind.Random });
        RunOutcome[] outcomes = [Outcome("cnn", "true-big", 0, 1), Outcome("cnn", "random", 0, 6)];

        var cohorts = CohortSummaries.Summarise(spec, outcomes);

        Assert.Null(Cohort(cohorts, "cnn", "random").SlowdownFactor);
    }

    [Fact]
    public void Summarise_NoConditions_HasNullFactor()
    {
        var cohorts = CohortSummaries.Summarise(Spec(), [Outcome("cnn", null, 0, 6)]);

        Assert.All(cohorts, cohort => Assert.Null(cohort.SlowdownFactor));
    }

    [Fact]
    public void Summarise_TrueCohortWithoutRuns_HasNullFactor()
    {
        var spec = Spec(
            new DataCondition { Name = "true", Labels = LabelKind.True },
            new DataCondition { Name = "random", Labels = LabelKind.Random });

        var cohorts = CohortSummaries.Summarise(spec, [Outcome("cnn", "random", 0, 6)]);

        Assert.Null(Cohort(cohorts, "cnn", "random").SlowdownFactor);
    }
}
