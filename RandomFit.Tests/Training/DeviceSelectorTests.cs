using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RandomFit.Training.Devices;
using TorchSharp;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class DeviceSelectorTests
{
    [Theory]
    [InlineData("auto")]
    [InlineData("cpu")]
    public void Name_WithoutCuda_IsCpu(string requested)
    {
        var selector = Create(requested, out var logger);

        Assert.Equal("cpu", selector.Name);
        Assert.Equal(DeviceType.CPU, selector.Device.type);
        Assert.DoesNotContain(logger.Entries, entry => entry.Level == LogLevel.Warning);
    }

    [Fact]
    public void Name_MissingCuda_FallsBackToCpu()
    {
        Assert.False(torch.cuda.is_available(), "these tests expect a machine without CUDA");
        var selector = Create("cuda", out var logger);

        Assert.Equal("cpu", selector.Name);
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("cuda"));
    }

    [Fact]
    public void Name_FirstUse_SetsConfiguredThreadCount()
    {
        var selector = Create("cpu", out var logger);

        _ = selector.Name;

        Assert.Equal(1, torch.get_num_threads());
        Assert.Contains(logger.Entries, entry => entry.Message == "libtorch threads per run: 1");
    }

    private static DeviceSelector Create(string device, out ListLogger<DeviceSelector> logger)
    {
        logger = new ListLogger<DeviceSelector>();
        return new DeviceSelector(Options.Create(new TrainingOptions { Device = device, Threads = 1 }), logger);
    }
}

/// <summary>Keeps formatted log entries, written from any thread, so a test can check what was logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    /// <summary>A copy of the entries logged so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) => _entries.Enqueue((logLevel, formatter(state, exception)));
}
