using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RandomFit.Benchmarks;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;

// Measures median epoch seconds (training pass plus evaluation), samples per second and peak memory.
// Each workload runs in a child process of its own so that its peak memory is its own.
var arguments = BenchmarkArguments.Parse(args);
if (arguments.Error is not null)
{
    Console.Error.WriteLine(arguments.Error);
    Console.Error.WriteLine(BenchmarkArguments.Usage);
    return 2;
}

if (arguments.Child)
{
    var result = Measure(arguments.Workloads[0], arguments);
    Console.WriteLine(JsonSerializer.Serialize(result, BenchmarkReport.JsonOptions));
    return 0;
}

var results = new List<WorkloadResult>();
string device = "cpu";
foreach (var workload in arguments.Workloads)
{
    var child = RunChild(workload.Name, arguments);
    results.Add(child.Result);
    device = child.Device;
}

var report = new BenchmarkReport(device, arguments.Threads, results);
report.PrintTable(Console.Out);
if (arguments.JsonPath is not null)
    File.WriteAllText(arguments.JsonPath, JsonSerializer.Serialize(report, BenchmarkReport.JsonOptions));
return 0;

static ChildResult RunChild(string workload, BenchmarkArguments arguments)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!)
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };

    // Bounds the managed heap's gen0 budget at 2 MiB (hexadecimal, as the runtime reads it). The default budget
    // scales with the L3 cache and, on a 2-core machine with 32 MiB of L3, let about 18 MiB of garbage become resident
    // before the first collection: half of the growth from epoch 10 to epoch 1,000. On .NET 10 the keys
    // System.GC.Gen0Size and GCgen0size in runtimeconfig.json did not take effect, so it is set in the environment.
    start.Environment["DOTNET_GCgen0size"] = "0x200000";

    // Started through the dotnet host ("dotnet RandomFit.Benchmarks.dll"), the child needs the assembly path too.
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        start.ArgumentList.Add(typeof(Workload).Assembly.Location);
    start.ArgumentList.Add("--child");
    start.ArgumentList.Add("--workload");
    start.ArgumentList.Add(workload);
    start.ArgumentList.Add("--threads");
    start.ArgumentList.Add(arguments.Threads.ToString(CultureInfo.InvariantCulture));
    start.ArgumentList.Add("--stacked");
    start.ArgumentList.Add(Math.Max(arguments.Stacked, 1).ToString(CultureInfo.InvariantCulture));
    if (arguments.RssEpochs > 0)
    {
        start.ArgumentList.Add("--rss-epochs");
        start.ArgumentList.Add(arguments.RssEpochs.ToString(CultureInfo.InvariantCulture));
    }

    if (arguments.Lanes is { } lanes)
    {
        start.ArgumentList.Add("--lanes");
        start.ArgumentList.Add(lanes.ToString(CultureInfo.InvariantCulture));
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"Workload {workload} failed with exit code {process.ExitCode}.");
    var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
    return JsonSerializer.Deserialize<ChildResult>(line, BenchmarkReport.JsonOptions)!;
}

static ChildResult Measure(Workload workload, BenchmarkArguments arguments)
{
    var options = Options.Create(new TrainingOptions { Device = "auto", Threads = arguments.Threads });
    var devices = new DeviceSelector(options, NullLogger<DeviceSelector>.Instance);
    var trainer = new Trainer(devices, options, NullLogger<Trainer>.Instance);
    var spec = workload.Spec;
    if (arguments.RssEpochs > 0)
        spec = spec with { Training = spec.Training! with { Epochs = arguments.RssEpochs } };
    var model = spec.Models![0].Name!;
    var seeds = Math.Max(arguments.Stacked, 1);
    var progress = Enumerable.Range(0, seeds).Select(_ => new EpochRecorder { LastEpoch = arguments.RssEpochs }).ToList();

    // --stacked 1 runs the separate trainer; K above 1 trains seeds 0..K-1 as one stacked model.
    if (arguments.Stacked > 1)
    {
        spec = spec with { Training = spec.Training! with { Execution = ExecutionMode.Stacked } };
        var requests = Enumerable.Range(0, seeds).Select(seed => new RunRequest(spec, model, null, seed)).ToList();
        trainer.TrainStacked(requests, progress, CancellationToken.None, arguments.Lanes);
    }
    else
    {
        trainer.Train(new RunRequest(spec, model, null, spec.EffectiveSeeds[0]), progress[0], CancellationToken.None);
    }

    // Lanes train their seeds side by side, each timing its own epochs, so the slowest seed's median bounds the rate.
    var epochs = progress[0].Epochs;
    var median = progress.Max(seed => Median(seed.Epochs.Select(epoch => epoch.Seconds).ToList()));
    var samples = spec.Data!.TrainSamples!.Value * seeds;
    using var self = Process.GetCurrentProcess();
    var result = new WorkloadResult(workload.Name, median, samples / median, self.PeakWorkingSet64, seeds)
    {
        MedianEpochCpuSeconds = Median(progress[0].CpuSeconds),
    };
    if (arguments.RssEpochs > 0)
    {
        result = result with
        {
            RssAtEpoch10Bytes = progress[0].RssAtEpoch10,
            RssAtLastEpochBytes = progress[0].RssAtLastEpoch,
            AnonymousRssAtEpoch10Bytes = progress[0].AnonymousRssAtEpoch10,
            AnonymousRssAtLastEpochBytes = progress[0].AnonymousRssAtLastEpoch,
            LastEpoch = epochs.Count,
        };
    }

    return new ChildResult(devices.Name, result);
}

static double Median(IReadOnlyList<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1
        ? sorted[sorted.Count / 2]
        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record ChildResult(string Device, WorkloadResult Result);

internal sealed class EpochRecorder : ITrainingProgress
{
    private TimeSpan? _lastCpuTime;

    public List<EpochMetrics> Epochs { get; } = [];

    /// <summary>
    /// Processor time of the whole process between consecutive epoch reports, all threads together. On a machine
    /// shared with other work it varies less than wall time, so it shows what a change to the loop saves.
    /// </summary>
    public List<double> CpuSeconds { get; } = [];

    public void Started(string device, long parameterCount)
    {
        _lastCpuTime = Environment.CpuUsage.TotalTime;
    }

    public long? RssAtEpoch10 { get; private set; }

    /// <summary>The epoch at which the second resident set is read. With 0, only epoch 10 is read.</summary>
    public int LastEpoch { get; init; }

    public long? RssAtLastEpoch { get; private set; }

    /// <summary>
    /// The anonymous part of the resident set (heaps, stacks, compiled code), without the pages of mapped files
    /// such as libtorch's and the runtime's libraries, which fault in as new code paths first run.
    /// </summary>
    public long? AnonymousRssAtEpoch10 { get; private set; }

    public long? AnonymousRssAtLastEpoch { get; private set; }

    // The resident set after epoch 10 (warm allocator and caches) and after the last epoch.
    public void Epoch(EpochMetrics metrics)
    {
        Epochs.Add(metrics);
        var cpuTime = Environment.CpuUsage.TotalTime;
        if (_lastCpuTime is { } previous)
        {
            CpuSeconds.Add((cpuTime - previous).TotalSeconds);
        }

        _lastCpuTime = cpuTime;

        // Reads only the two epochs compared, because a Process object and a /proc read every epoch would add
        // allocations and newly compiled code to the window measured.
        if (metrics.Epoch == 10 || metrics.Epoch == LastEpoch)
        {
            using var self = Process.GetCurrentProcess();
            RssAtLastEpoch = self.WorkingSet64;
            RssAtEpoch10 ??= RssAtLastEpoch;
            AnonymousRssAtLastEpoch = AnonymousResidentBytes();
            AnonymousRssAtEpoch10 ??= AnonymousRssAtLastEpoch;
        }
    }

    // The RssAnon line of /proc/self/status, in kB; null where the file or the line is missing (not Linux).
    private static long? AnonymousResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                continue;
            }

            var digits = line["RssAnon:".Length..].Trim().Split(' ')[0];
            return long.Parse(digits, CultureInfo.InvariantCulture) * 1024;
        }

        return null;
    }
}
