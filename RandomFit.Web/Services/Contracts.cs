using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

/// <summary>Creates and reads experiments; shared by the HTTP API and the pages.</summary>
public interface IExperimentService
{
    /// <summary>Validates, stores the experiment with its runs as queued, and wakes the scheduler.</summary>
    /// <exception cref="RequestValidationException">The request is invalid; nothing was stored.</exception>
    Task<ExperimentCreated> CreateAsync(CreateExperimentRequest request, CancellationToken cancellationToken);

    Task<ExperimentDetails?> GetAsync(string id, CancellationToken cancellationToken);

    Task<Paged<ExperimentItem>> ListAsync(ExperimentQuery query, CancellationToken cancellationToken);

    /// <summary>Cancels the experiment's runs and deletes it with its runs; false when the id is unknown.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Returns the parameter count of each model of a spec, or validation errors.</summary>
    IReadOnlyDictionary<string, long> CountParameters(Training.Specs.ExperimentSpec spec);
}

/// <summary>Outcome of a cancel request.</summary>
public enum CancelOutcome { NotFound, Accepted, AlreadyFinal }

/// <summary>Outcome of a resume request.</summary>
public enum ResumeOutcome { NotFound, Accepted, NotInterrupted, NoCheckpoint }

/// <summary>The outcome of a resume request, and for a rejected one a message that says why.</summary>
public sealed record ResumeResult(ResumeOutcome Outcome, string? Message = null);

/// <summary>Reads, cancels and resumes runs.</summary>
public interface IRunService
{
    Task<RunDetails?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Returns every run of an experiment with all its epochs, keyed by run id, read in two queries.</summary>
    Task<IReadOnlyDictionary<string, RunDetails>> GetExperimentRunsAsync(
        string experimentId, CancellationToken cancellationToken);

    Task<Paged<RunItem>> ListAsync(RunQuery query, CancellationToken cancellationToken);

    Task<CancelOutcome> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Checks, without changing anything, whether <see cref="ResumeAsync"/> would accept the run now. A rejected check
    /// has the outcome and message that the resume request would be rejected with.
    /// </summary>
    Task<ResumeResult> CheckResumeAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Queues an interrupted run to train on from its last checkpoint: its epochs after the checkpoint are deleted
    /// and a reset event voids them for watchers.
    /// </summary>
    Task<ResumeResult> ResumeAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Adds runs to stored experiments.</summary>
public interface IRunAdditions
{
    /// <summary>Queues every model and condition for each new seed; null when the experiment id is unknown.</summary>
    /// <exception cref="RequestValidationException">A seed is invalid, repeated or already in the experiment.</exception>
    Task<IReadOnlyList<RunItem>?> AddSeedsAsync(string id, IReadOnlyList<int>? seeds, CancellationToken cancellationToken);

    /// <summary>Queues a new run with the same model, condition and seed; null when the run id is unknown.</summary>
    Task<RunItem?> RerunAsync(string runId, CancellationToken cancellationToken);
}
