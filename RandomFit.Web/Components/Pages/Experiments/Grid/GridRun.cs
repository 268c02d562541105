using RandomFit.Training.Training;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>One run of the experiment grid with its epochs, kept current from the run-events feed.</summary>
public sealed class GridRun(RunItem run, IEnumerable<EpochMetrics> epochs)
{
    private readonly List<EpochMetrics> _epochs = [.. epochs];

    public RunItem Run { get; } = run;

    public RunStatus Status { get; set; } = run.Status;

    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    public EpochMetrics? Final => _epochs.Count == 0 ? null : _epochs[^1];

    /// <summary>Final train accuracy minus final test accuracy; null without a test figure.</summary>
    public double? Gap => Final is { TestAccuracy: { } test } final ? final.TrainAccuracy - test : null;

    /// <summary>The first epoch with train accuracy 1.0, or null when the run has not reached it.</summary>
    public int? EpochsToFit => _epochs.FirstOrDefault(e => e.TrainAccuracy >= 1.0)?.Epoch;

    /// <summary>Appends a live epoch; returns false for an epoch already stored.</summary>
    public bool Append(EpochMetrics epoch)
    {
        if (Final is { } last && epoch.Epoch <= last.Epoch)
        {
            return false;
        }

        _epochs.Add(epoch);
        return true;
    }

    /// <summary>Drops the epochs after <paramref name="fromEpoch"/>, which a resume from a checkpoint voids.</summary>
    public void ResetAfter(int fromEpoch) => _epochs.RemoveAll(e => e.Epoch > fromEpoch);
}
