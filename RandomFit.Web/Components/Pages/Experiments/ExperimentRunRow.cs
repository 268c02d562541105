using RandomFit.Web.Apis;

namespace RandomFit.Web.Components.Pages.Experiments;

/// <summary>One run of an experiment as its table shows it, kept current from the feed.</summary>
public sealed class ExperimentRunRow(RunItem run)
{
    public RunItem Run { get; } = run;
    public RunStatus Status { get; set; } = run.Status;
    public int EpochsDone { get; set; }
    public double? TrainAccuracy { get; set; }
    public double? TestAccuracy { get; set; }

    public static ExperimentRunRow From(RunItem item, RunDetails? details)
    {
        var row = new ExperimentRunRow(item);
        if (details is { Epochs.Count: > 0 })
        {
            var last = details.Epochs[^1];
            row.Status = details.Status;
            row.EpochsDone = last.Epoch;
            row.TrainAccuracy = last.TrainAccuracy;
            row.TestAccuracy = last.TestAccuracy;
        }

        return row;
    }
}
