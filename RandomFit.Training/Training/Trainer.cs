#pragma warning disable CS9113 // Stub until the implementation lands.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RandomFit.Training.Devices;

namespace RandomFit.Training.Training;

/// <summary>Trains one run synchronously on the calling thread.</summary>
public sealed class Trainer(DeviceSelector devices, IOptions<TrainingOptions> options, ILogger<Trainer> logger)
{
    /// <summary>
    /// Trains a run, reporting each epoch to <paramref name="progress"/>. Throws OperationCanceledException
    /// within one epoch of cancellation and TrainingFailedException when the loss stops being finite.
    /// </summary>
    public void Train(RunRequest request, ITrainingProgress progress, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
