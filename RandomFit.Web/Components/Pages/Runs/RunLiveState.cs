using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Components.Pages.Runs;

/// <summary>
/// A run as the page shows it: the stored run, then the feed's events on top. Events that arrive while the run
/// loads wait in a buffer, and epochs the store already had are skipped, so none is drawn twice or lost.
/// </summary>
public sealed class RunLiveState(string runId)
{
    private readonly List<RunEvent> _buffer = [];
    private readonly List<EpochMetrics> _epochs = [];

    public RunDetails? Run { get; private set; }
    public bool Loaded { get; private set; }
    public RunStatus Status { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>A counter that grows whenever the stored run or an event changed what the page shows.</summary>
    public int Version { get; private set; }

    /// <summary>Takes the stored run (null when there is none) and applies the events buffered meanwhile.</summary>
    public void Load(RunDetails? run)
    {
        Run = run;
        Loaded = true;
        if (run is not null)
        {
            Status = run.Status;
            Error = run.Error;
            _epochs.AddRange(run.Epochs.OrderBy(epoch => epoch.Epoch));
            foreach (var runEvent in _buffer)
            {
                ApplyLoaded(runEvent);
            }
        }

        _buffer.Clear();
        Version++;
    }

    /// <summary>
    /// Takes the run's stored fields (device, parameter count, start and finish times) after a status change.
    /// Epochs keep coming from the feed, so the stored ones are ignored here.
    /// </summary>
    public void Refresh(RunDetails run)
    {
        if (Run is null || run.Id != runId)
        {
            return;
        }

        Run = run;
        Version++;
    }

    /// <summary>Applies an event of the feed; returns whether it changed the run.</summary>
    public bool Apply(RunEvent runEvent)
    {
        if (runEvent.RunId != runId)
        {
            return false;
        }

        if (!Loaded)
        {
            _buffer.Add(runEvent);
            return false;
        }

        return Run is not null && ApplyLoaded(runEvent);
    }

    private bool ApplyLoaded(RunEvent runEvent)
    {
        var changed = runEvent switch
        {
            EpochEvent epoch => AddEpoch(epoch.Metrics),
            StatusEvent status => SetStatus(status.Status, status.Error),
            ResetEvent reset => _epochs.RemoveAll(epoch => epoch.Epoch > reset.FromEpoch) > 0,
            _ => false,
        };
        if (changed)
        {
            Version++;
        }

        return changed;
    }

    private bool AddEpoch(EpochMetrics metrics)
    {
        if (_epochs.Count > 0 && metrics.Epoch <= _epochs[^1].Epoch)
        {
            return false;
        }

        _epochs.Add(metrics);
        return true;
    }

    private bool SetStatus(RunStatus status, string? error)
    {
        if (Status == status && Error == error)
        {
            return false;
        }

        Status = status;
        Error = error;
        return true;
    }
}
