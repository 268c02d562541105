#pragma warning disable CS9113 // Stub until the implementation lands.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RandomFit.Training.Devices;

/// <summary>Resolves the configured device once, logs the choice and warns on a CPU fallback.</summary>
public sealed class DeviceSelector(IOptions<TrainingOptions> options, ILogger<DeviceSelector> logger)
{
    /// <summary>"cpu" or "cuda", as stored on each run.</summary>
    public string Name => throw new NotImplementedException();
}
