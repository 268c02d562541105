using RandomFit.Training.Specs;

namespace RandomFit.Training.Training;

/// <summary>One run to train: a model of an experiment, on one condition (or none), from one seed.</summary>
/// <param name="Spec">The whole experiment spec, already validated.</param>
/// <param name="Model">The <see cref="ModelSpec.Name"/> of the model to train.</param>
/// <param name="Condition">The <see cref="DataCondition.Name"/> to apply, or null without conditions.</param>
/// <param name="Seed">The run's seed; the spec may pin data, init or order seeds separately.</param>
public sealed record RunRequest(ExperimentSpec Spec, string Model, string? Condition, int Seed)
{
    /// <summary>Where the run keeps checkpoints and whether it starts from one; null keeps none.</summary>
    public CheckpointPlan? Checkpoint { get; init; }

    /// <summary>The stored run's id, for log lines; null for a run that is not stored (a benchmark).</summary>
    public string? RunId { get; init; }
}

/// <summary>Receives a run's progress on the training thread. Implementations must return quickly.</summary>
public interface ITrainingProgress
{
    /// <summary>Called once the model is built and placed, before epoch 1.</summary>
    void Started(string device, long parameterCount);

    /// <summary>Called after each epoch with its metrics, after all tensors of the epoch are disposed.</summary>
    void Epoch(EpochMetrics metrics);

    /// <summary>
    /// Whether the run has stopped taking epochs while its stacked cohort trains on, as a cancelled run of a cohort
    /// does. The cohort then writes no more checkpoints for it, and stops once no seed is left training.
    /// </summary>
    bool HasLeft => false;

    /// <summary>
    /// Called when a stacked cohort is done with the run without an exception: <paramref name="failure"/> is null when
    /// the run trained to its last epoch, else the message its failure gives. A lane of a cohort calls it when the lane
    /// ends, while other lanes may still train.
    /// </summary>
    void TrainingEnded(string? failure)
    {
    }
}

/// <summary>Thrown when a run cannot go on, such as a loss that stops being finite; the message is shown to users.</summary>
public sealed class TrainingFailedException(string message) : Exception(message);
