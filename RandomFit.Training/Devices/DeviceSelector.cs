using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Training.Devices;

/// <summary>Resolves the configured device once, logs the choice and warns on a CPU fallback.</summary>
public sealed class DeviceSelector(IOptions<TrainingOptions> options, ILogger<DeviceSelector> logger)
{
    private readonly Lazy<(string Name, Device Device)> _resolved = new(() => Resolve(options.Value, logger));

    /// <summary>"cpu" or "cuda", as stored on each run.</summary>
    public string Name => _resolved.Value.Name;

    /// <summary>The torch device runs train on.</summary>
    public Device Device => _resolved.Value.Device;

    // Resolution loads libtorch, so it waits for the first run instead of happening at start-up of every host.
    private static (string Name, Device Device) Resolve(TrainingOptions options, ILogger logger)
    {
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        if (NativeHeapSettings.KeepLargeBlocksInHeap())
        {
            logger.LogDebug(
                "glibc malloc serves blocks up to {Threshold} bytes from its heap instead of fresh mappings",
                NativeHeapSettings.MmapThresholdBytes);
        }

        // The thread count is a process-wide libtorch setting shared by every run.
        set_num_threads(threads);
        logger.LogInformation("libtorch threads per run: {Threads}", get_num_threads());

        var requested = options.Device.ToLowerInvariant();
        var cudaAvailable = requested != "cpu" && cuda.is_available();
        if (requested == "cuda" && !cudaAvailable)
        {
            logger.LogWarning("Device cuda was requested but torch reports no CUDA device; training on the CPU");
        }

        if (!cudaAvailable)
        {
            logger.LogInformation("Training device: {Device} (requested {Requested})", "cpu", requested);
            return ("cpu", CPU);
        }

        // CUDA runs are not bit-reproducible because cuDNN picks kernels at run time.
        // TF32 matmuls and convolutions would widen the spread.
        backends.cuda.matmul.allow_tf32 = false;
        backends.cudnn.allow_tf32 = false;
        logger.LogInformation("Training device: {Device} (requested {Requested})", "cuda", requested);
        return ("cuda", CUDA);
    }
}
