using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Api;

/// <summary>
/// Stores an experiment with finished runs and hand-written epochs, so summaries and exports can be checked
/// against values computed by hand. No run is queued, so the scheduler trains nothing.
/// </summary>
public static class ResultFixtures
{
    public const string ExperimentId = "fixture-exp";

    /// <summary>Epochs as (epoch, train accuracy, test accuracy) of each fixture run, keyed by run id.</summary>
    public static readonly IReadOnlyDictionary<string, (string Model, int Seed, (int, double, double)[] Epochs)> Runs =
        new Dictionary<string, (string, int, (int, double, double)[])>
        {
            ["mlp-0"] = ("mlp", 0, [(1, 0.5, 0.4), (2, 1.0, 0.5), (3, 1.0, 0.6)]),
            ["mlp-1"] = ("mlp", 1, [(1, 0.75, 0.5), (2, 0.75, 0.3)]),
            ["mlp-2"] = ("mlp", 2, [(1, 1.0, 0.5)]),
            ["cnn-0"] = ("cnn", 0, [(1, 0.5, 0.5)]),
            ["cnn-1"] = ("cnn", 1, []),
        };

    public static ExperimentSpec Spec(int testSamples = 10) => new()
    {
        Name = "fixture",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 1, Height = 4, Width = 4 },
            TrainSamples = 4,
            TestSamples = testSamples,
        },
        Models =
        [
            new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 2, Kernel = 3 }] },
            new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [4] },
        ],
        Training = new TrainingSpec { Epochs = 3 },
        Seeds = [0, 1, 2],
    };

    /// <summary>Stores the fixture experiment; runs without epochs are stored as cancelled.</summary>
    public static async Task StoreAsync(RandomFitHostFactory host, int testSamples = 10)
    {
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var experiment = new ExperimentEntity
        {
            Id = ExperimentId,
            Name = "fixture",
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(Spec(testSamples), SpecJson.Options),
        };
        var sequence = 0;
        foreach (var (id, (model, seed, epochs)) in Runs)
        {
            var run = NewRun(id, model, seed, ++sequence, epochs.Length == 0 ? RunStatus.Cancelled : RunStatus.Completed);
            run.Epochs.AddRange(epochs.Select(e => Epoch(id, e.Item1, e.Item2, testSamples > 0 ? e.Item3 : null)));
            experiment.Runs.Add(run);
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Stores one more finished run of the fixture experiment after the others.</summary>
    public static async Task AddRunAsync(
        RandomFitHostFactory host, string id, string model, int seed, double trainAccuracy, RunStatus status = RunStatus.Completed)
    {
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var run = NewRun(id, model, seed, 100, status);
        run.Epochs.Add(Epoch(id, 1, trainAccuracy, 0.5));
        db.Runs.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Stores one more completed mlp run of the fixture experiment with the given number of epochs.</summary>
    public static async Task AddLongRunAsync(RandomFitHostFactory host, string id, int epochs)
    {
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var run = NewRun(id, "mlp", seed: 9, sequence: 100, RunStatus.Completed);
        run.TotalEpochs = epochs;
        run.Epochs.AddRange(Enumerable.Range(1, epochs).Select(epoch => Epoch(id, epoch, 0.5, 0.5)));
        db.Runs.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Stores an experiment with a true-label and a random-label condition: the cnn fits true labels at epochs
    /// 2 and 4 and random labels at epochs 9 and 15, the mlp's random-label run never fits.
    /// </summary>
    public static async Task StoreLabelConditionsAsync(RandomFitHostFactory host)
    {
        var spec = Spec(testSamples: 0) with
        {
            Data = Spec(testSamples: 0).Data! with
            {
                Conditions =
                [
                    new DataCondition { Name = "true", Labels = LabelKind.True },
                    new DataCondition { Name = "random", Labels = LabelKind.Random },
                ],
            },
            Seeds = [0, 1],
        };
        var runs = new (string Model, string Condition, int Seed, int? EpochsToFit)[]
        {
            ("cnn", "true", 0, 2),
            ("cnn", "true", 1, 4),
            ("cnn", "random", 0, 9),
            ("cnn", "random", 1, 15),
            ("mlp", "true", 0, 3),
            ("mlp", "random", 0, null),
        };
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var experiment = new ExperimentEntity
        {
            Id = ExperimentId,
            Name = "labels",
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        };
        var sequence = 0;
        foreach (var (model, condition, seed, epochsToFit) in runs)
        {
            var id = $"{model}-{condition}-{seed}";
            var run = NewRun(id, model, seed, ++sequence, RunStatus.Completed);
            run.Condition = condition;

            // A run that fits ends at the epoch where it first reaches 1.0; one that never fits stays at 0.5 for 20 epochs.
            var last = epochsToFit ?? 20;
            for (var epoch = 1; epoch <= last; epoch++)
            {
                run.Epochs.Add(Epoch(id, epoch, epoch == epochsToFit ? 1.0 : 0.5, null));
            }

            experiment.Runs.Add(run);
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private static RunEntity NewRun(string id, string model, int seed, long sequence, RunStatus status) => new()
    {
        Id = id,
        ExperimentId = ExperimentId,
        Model = model,
        Seed = seed,
        Status = status,
        TotalEpochs = 3,
        CreatedAt = DateTimeOffset.UtcNow,
        Sequence = sequence,
    };

    private static EpochEntity Epoch(string runId, int epoch, double train, double? test) => new()
    {
        RunId = runId,
        Epoch = epoch,
        TrainLoss = 1.0 / epoch,
        TrainAccuracy = train,
        TestLoss = test is null ? null : 0.7,
        TestAccuracy = test,
        Seconds = 0.25,
        ElapsedSeconds = 0.25 * epoch,
    };
}
