using System.Text.Json.Serialization;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;

namespace RandomFit.Web.Apis;

/// <summary>Status of a run, written as the contract's lowercase strings.</summary>
public enum RunStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("interrupted")] Interrupted,
}

/// <summary>A run without its epochs: list items and the runs of an experiment.</summary>
public sealed record RunItem(
    string Id,
    string Url,
    string ExperimentId,
    string Model,
    string? Condition,
    int Seed,
    RunStatus Status,
    string? Error,
    string? Device,
    long? ParameterCount,
    int TotalEpochs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    ExecutionMode Execution = ExecutionMode.Separate)
{
    /// <summary>
    /// The last stored epoch, so a list shows how far a run got (7 of 20 for a run cancelled at epoch 7), or null
    /// before the first. Lists and experiment details read it; the responses that create runs leave it null.
    /// </summary>
    public int? LastEpoch { get; init; }

    /// <summary>
    /// The name of the run's experiment, so a list can show it in place of the id. Lists and experiment details fill it
    /// in, and the responses that create runs leave it null.
    /// </summary>
    public string? ExperimentName { get; init; }
}

/// <summary>A run with every stored epoch, as <c>GET /api/runs/{id}</c> returns it.</summary>
public sealed record RunDetails(
    string Id,
    string Url,
    string ExperimentId,
    string Model,
    string? Condition,
    int Seed,
    RunStatus Status,
    string? Error,
    string? Device,
    long? ParameterCount,
    int TotalEpochs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<EpochMetrics> Epochs,
    ExecutionMode Execution = ExecutionMode.Separate);

/// <summary>An experiment in lists, with counts of its runs by status that add up to <see cref="RunCount"/>.</summary>
public sealed record ExperimentItem(
    string Id,
    string Url,
    string Name,
    string? Preset,
    DateTimeOffset CreatedAt,
    int RunCount,
    int QueuedCount,
    int RunningCount,
    int CompletedCount,
    int FailedCount,
    int CancelledCount,
    int InterruptedCount);

/// <summary>An experiment with its spec and runs, as <c>GET /api/experiments/{id}</c> returns it.</summary>
public sealed record ExperimentDetails(
    string Id,
    string Url,
    string Name,
    string? Preset,
    DateTimeOffset CreatedAt,
    ExperimentSpec Spec,
    IReadOnlyList<RunItem> Runs);

/// <summary>The body of <c>POST /api/experiments</c>: exactly one of preset and spec.</summary>
public sealed record CreateExperimentRequest
{
    public string? Preset { get; init; }
    public ExperimentSpec? Spec { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<int>? Seeds { get; init; }
}

/// <summary>The answer to <c>POST /api/experiments</c>.</summary>
public sealed record ExperimentCreated(string Id, string Url, IReadOnlyList<RunItem> Runs);

/// <summary>A preset as <c>GET /api/presets</c> lists it.</summary>
public sealed record PresetItem(string Id, string Name, string Description, ExperimentSpec Spec);

/// <summary>One page of a list.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    /// <summary>
    /// The number of items before <paramref name="page"/>, capped at <see cref="int.MaxValue"/>: a page far past the
    /// end (page 5,000,000 of 500) would overflow <c>int</c> and wrap round to an earlier page.
    /// </summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min((page - 1L) * pageSize, int.MaxValue);
}

/// <summary>Filters, sort and paging of <c>GET /api/runs</c>.</summary>
public sealed record RunQuery(
    string? Experiment = null,
    string? Model = null,
    RunStatus? Status = null,
    int? Seed = null,
    string? Preset = null,
    bool Descending = true,
    int Page = 1,
    int PageSize = 50);

/// <summary>Filters, sort and paging of <c>GET /api/experiments</c>.</summary>
public sealed record ExperimentQuery(
    string? Preset = null,
    RunStatus? Status = null,
    bool Descending = true,
    int Page = 1,
    int PageSize = 50,
    string? Experiment = null,
    string? Model = null,
    int? Seed = null);

/// <summary>Thrown when a request fails validation; keys are field paths, values the messages.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
