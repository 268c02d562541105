using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Persistence;

/// <summary>A stored experiment; the spec is kept as contract JSON so it reads back exactly as written.</summary>
public sealed class ExperimentEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Preset { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Creation order; SQLite cannot sort by DateTimeOffset, so lists sort by this.</summary>
    public long Sequence { get; set; }

    public required string SpecJson { get; set; }
    public List<RunEntity> Runs { get; set; } = [];
}

/// <summary>A stored run: one model on one condition from one seed.</summary>
public sealed class RunEntity
{
    public required string Id { get; set; }
    public required string ExperimentId { get; set; }
    public ExperimentEntity? Experiment { get; set; }
    public required string Model { get; set; }
    public string? Condition { get; set; }
    public int Seed { get; set; }
    public RunStatus Status { get; set; }
    public string? Error { get; set; }
    public string? Device { get; set; }
    public long? ParameterCount { get; set; }
    public int TotalEpochs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Queue order: the scheduler takes queued runs by ascending sequence.</summary>
    public long Sequence { get; set; }

    /// <summary>Whether the run trains alone or stacked with the other queued seeds of its cohort.</summary>
    public ExecutionMode Execution { get; set; }

    public List<EpochEntity> Epochs { get; set; } = [];
}

/// <summary>The metrics of one epoch of a run.</summary>
public sealed class EpochEntity
{
    public required string RunId { get; set; }
    public int Epoch { get; set; }
    public double? TrainLoss { get; set; }
    public double TrainAccuracy { get; set; }
    public double? TestLoss { get; set; }
    public double? TestAccuracy { get; set; }
    public double Seconds { get; set; }
    public double ElapsedSeconds { get; set; }
}
