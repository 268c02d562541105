using System.Globalization;
using RandomFit.Training.Models;
using RandomFit.Training.Specs;

namespace RandomFit.Training.Training;

/// <summary>Rejects a run whose estimated memory exceeds what this process may use, before anything is allocated.</summary>
internal static class MemoryCheck
{
    /// <summary>
    /// Throws TrainingFailedException when the run's estimate exceeds the memory available to the process
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits). Tensors live in
    /// native memory that the garbage collector does not manage, so without this check an oversized dataset ends in
    /// the kernel's out-of-memory kill or a crash inside libtorch instead of a failed run.
    /// </summary>
    public static void EnsureFits(ModelSpec model, DataSpec data, TrainingSpec training, long availableBytes)
    {
        var estimate = MemoryEstimator.EstimateBytes(model, data, training);
        if (estimate <= availableBytes)
        {
            return;
        }

        throw new TrainingFailedException(string.Format(
            CultureInfo.InvariantCulture,
            "The run needs an estimated {0:N0} bytes, more than the {1:N0} bytes of memory available to this "
            + "process. Use fewer or smaller samples, or a smaller batch size or model.",
            estimate,
            availableBytes));
    }

    /// <summary>Returns the memory this process may use, in bytes.</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
