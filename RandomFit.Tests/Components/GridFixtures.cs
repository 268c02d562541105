using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Components;

/// <summary>Experiments of a CNN and an MLP over several seeds, stored in the in-memory services.</summary>
public static class GridFixtures
{
    public static ExperimentSpec Spec(double learningRate = 0.001, int testSamples = 20) => new()
    {
        Name = "cnn vs mlp",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 1, Height = 10, Width = 10 },
            TrainSamples = 100,
            TestSamples = testSamples,
            Classes = 2,
        },
        Models =
        [
            new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 8, Kernel = 3 }] },
            new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64] },
        ],
        Training = new TrainingSpec { Epochs = 50, LearningRate = learningRate },
    };

    public static EpochMetrics Epoch(int epoch, double train, double? test = 0.5) =>
        new(epoch, 0.7 / epoch, train, test is null ? null : 0.9, test, 0.01, epoch * 0.01);

    public static RunDetails Run(string id, string experimentId, string model, int seed, params EpochMetrics[] epochs) => new(
        id, $"/runs/{id}", experimentId, model, null, seed, RunStatus.Completed, null, "cpu", 1000, 50,
        TestRuns.CreatedAt, TestRuns.CreatedAt, TestRuns.CreatedAt, epochs);

    /// <summary>Stores the experiment and its runs; the runs keep the given order.</summary>
    public static void Store(
        InMemoryExperimentService experiments,
        InMemoryRunService runs,
        string id,
        ExperimentSpec spec,
        params RunDetails[] stored)
    {
        experiments.Stored[id] = new ExperimentDetails(
            id, $"/experiments/{id}", spec.Name!, null, TestRuns.CreatedAt, spec, [.. stored.Select(TestRuns.ToItem)]);
        foreach (var run in stored)
        {
            runs.Stored[run.Id] = run;
        }
    }
}
