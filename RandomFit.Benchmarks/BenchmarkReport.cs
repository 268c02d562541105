using System.Globalization;
using System.Text.Json;

namespace RandomFit.Benchmarks;

/// <summary>Figures of one workload.</summary>
public sealed record WorkloadResult(
    string Name,
    double MedianEpochSeconds,
    double SamplesPerSecond,
    long PeakMemoryBytes,
    int Seeds = 1,
    long? RssAtEpoch10Bytes = null,
    long? RssAtLastEpochBytes = null,
    int? LastEpoch = null,
    double? MedianEpochCpuSeconds = null,
    long? AnonymousRssAtEpoch10Bytes = null,
    long? AnonymousRssAtLastEpochBytes = null);

/// <summary>The whole benchmark, as written to the JSON file.</summary>
public sealed record BenchmarkReport(string Device, int Threads, IReadOnlyList<WorkloadResult> Workloads)
{
    /// <summary>camelCase JSON, as the README's example shows.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Writes a fixed-width table of the figures.</summary>
    public void PrintTable(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"device {Device}, {Threads} threads"));
        output.WriteLine($"{"workload",-20} {"seeds",5} {"median epoch s",15} {"samples/s",12} {"peak MiB",10} {"cpu s/epoch",12}");
        foreach (var result in Workloads)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Name,-20} {result.Seeds,5} {result.MedianEpochSeconds,15:F4} {result.SamplesPerSecond,12:F0} {result.PeakMemoryBytes / 1048576.0,10:F0} {result.MedianEpochCpuSeconds,12:F4}"));
            if (result.RssAtEpoch10Bytes is { } early && result.RssAtLastEpochBytes is { } late)
            {
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  RSS at epoch 10: {early / 1048576.0:F1} MiB, at epoch {result.LastEpoch}: {late / 1048576.0:F1} MiB ({(late - early) * 100.0 / early:+0.0;-0.0}%)"));
            }

            if (result.AnonymousRssAtEpoch10Bytes is { } anonymousEarly && result.AnonymousRssAtLastEpochBytes is { } anonymousLate)
            {
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  of which anonymous memory: {anonymousEarly / 1048576.0:F1} MiB, {anonymousLate / 1048576.0:F1} MiB ({(anonymousLate - anonymousEarly) * 100.0 / anonymousEarly:+0.0;-0.0}%)"));
            }
        }
    }
}
