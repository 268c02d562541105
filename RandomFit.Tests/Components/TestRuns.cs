using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Components;

/// <summary>Builds stored runs and epochs for page tests.</summary>
public static class TestRuns
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static EpochMetrics Epoch(int epoch, double trainLoss = 0.5, double trainAccuracy = 0.6) =>
        new(epoch, trainLoss, trainAccuracy, 0.7, 0.5, 0.01, epoch * 0.01);

    public static RunDetails Create(
        string id,
        int storedEpochs,
        int totalEpochs = 100,
        RunStatus status = RunStatus.Running,
        string experimentId = "e1") => new(
            id, $"/runs/{id}", experimentId, "cnn", null, 0, status, null, "cpu", 77_729, totalEpochs,
            CreatedAt, CreatedAt, null,
            Enumerable.Range(1, storedEpochs).Select(epoch => Epoch(epoch)).ToList());

    public static RunItem ToItem(RunDetails run) => new(
        run.Id, run.Url, run.ExperimentId, run.Model, run.Condition, run.Seed, run.Status, run.Error, run.Device,
        run.ParameterCount, run.TotalEpochs, run.CreatedAt, run.StartedAt, run.FinishedAt, run.Execution);

    public static ExperimentDetails Experiment(string id, int classes, params RunDetails[] runs) => new(
        id, $"/experiments/{id}", "Random labels", "article-example-3", CreatedAt,
        new ExperimentSpec
        {
            Name = "Random labels",
            Data = new DataSpec
            {
                Shape = new ShapeSpec { Channels = 1, Height = 10, Width = 10 },
                TrainSamples = 100,
                TestSamples = 20,
                Classes = classes,
            },
            Models = [new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 8, Kernel = 3 }] }],
            Training = new TrainingSpec { Epochs = 100 },
        },
        runs.Select(ToItem).ToList());
}
