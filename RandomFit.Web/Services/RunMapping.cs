using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Services;

/// <summary>Maps stored rows to the contract's records; urls are page paths.</summary>
public static class RunMapping
{
    public static string RunUrl(string id) => $"/runs/{id}";

    public static string ExperimentUrl(string id) => $"/experiments/{id}";

    public static RunItem ToItem(RunEntity run) => new(
        run.Id,
        RunUrl(run.Id),
        run.ExperimentId,
        run.Model,
        run.Condition,
        run.Seed,
        run.Status,
        run.Error,
        run.Device,
        run.ParameterCount,
        run.TotalEpochs,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        run.Execution);

    public static RunDetails ToDetails(RunEntity run, IReadOnlyList<EpochMetrics> epochs) => new(
        run.Id,
        RunUrl(run.Id),
        run.ExperimentId,
        run.Model,
        run.Condition,
        run.Seed,
        run.Status,
        run.Error,
        run.Device,
        run.ParameterCount,
        run.TotalEpochs,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        epochs,
        run.Execution);

    public static EpochMetrics ToMetrics(EpochEntity epoch) => new(
        epoch.Epoch,
        epoch.TrainLoss,
        epoch.TrainAccuracy,
        epoch.TestLoss,
        epoch.TestAccuracy,
        epoch.Seconds,
        epoch.ElapsedSeconds);
}
