using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Web;

/// <summary>Experiment and run rows written straight to the database, for tests of the services that read them.</summary>
internal static class StoredRuns
{
    /// <summary>
    /// Stores an experiment with an empty spec and one cnn run per id, seed i for the i-th, each with the given
    /// status and <paramref name="storedEpochs"/> epochs of loss and accuracy 0.5. A second experiment in one database
    /// needs its own <paramref name="sequence"/>, which numbers its runs from (sequence - 1) * 1000 + 1.
    /// </summary>
    public static async Task AddAsync(
        IDbContextFactory<RandomFitDbContext> factory,
        string experimentId,
        IReadOnlyList<string> runIds,
        RunStatus status,
        int totalEpochs,
        int storedEpochs = 0,
        int sequence = 1)
    {
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var experiment = new ExperimentEntity
        {
            Id = experimentId,
            Name = "fixture",
            Sequence = sequence,
            CreatedAt = DateTimeOffset.UtcNow,
            SpecJson = "{}",
        };
        for (var i = 0; i < runIds.Count; i++)
        {
            var run = new RunEntity
            {
                Id = runIds[i],
                ExperimentId = experimentId,
                Model = "cnn",
                Seed = i,
                Status = status,
                TotalEpochs = totalEpochs,
                Sequence = ((sequence - 1) * 1000) + i + 1,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            for (var epoch = 1; epoch <= storedEpochs; epoch++)
            {
                run.Epochs.Add(new EpochEntity
                {
                    RunId = run.Id,
                    Epoch = epoch,
                    TrainLoss = 0.5,
                    TrainAccuracy = 0.5,
                    Seconds = 0.01,
                    ElapsedSeconds = 0.01 * epoch,
                });
            }

            experiment.Runs.Add(run);
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
