using System.Globalization;

namespace RandomFit.Benchmarks;

/// <summary>Command-line options of the benchmark.</summary>
public sealed record BenchmarkArguments(
    IReadOnlyList<Workload> Workloads,
    int Threads,
    string? JsonPath,
    bool Child,
    string? Error,
    int Stacked = 0,
    int RssEpochs = 0,
    int? Lanes = null)
{
    /// <summary>Help text printed with an argument error.</summary>
    public const string Usage =
        "usage: dotnet run -c Release --project RandomFit.Benchmarks -- [--workload NAME] [--threads N] [--json FILE]\n" +
        "  --workload NAME  run one workload: " + "article-example-1, article-example-2, article-example-3, zhang-cnn, zhang-mlp, memorization-mlp\n" +
        "  --threads N      libtorch threads (default: all cores)\n" +
        "  --json FILE      also write the figures as JSON\n" +
        "  --stacked K      train K seeds as one stacked model; samples/s counts all K seeds\n" +
        "  --rss-epochs N   train N epochs and report the resident memory at epoch 10 and at epoch N\n" +
        "  --lanes L        with --stacked, split the seeds into L stacked models on threads of their own\n" +
        "                   (default: one per libtorch thread; 0 trains one model on all threads)";

    /// <summary>Parses the arguments; <see cref="Error"/> names the first invalid one.</summary>
    public static BenchmarkArguments Parse(string[] args)
    {
        IReadOnlyList<Workload> workloads = RandomFit.Benchmarks.Workloads.All;
        var threads = Environment.ProcessorCount;
        string? json = null;
        var child = false;
        var stacked = 0;
        var rssEpochs = 0;
        int? lanes = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--workload":
                    var match = RandomFit.Benchmarks.Workloads.All.FirstOrDefault(workload => workload.Name == value);
                    if (match is null)
                        return Invalid($"Unknown workload \"{value}\".");
                    workloads = [match];
                    i++;
                    break;
                case "--threads":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1)
                        return Invalid($"--threads needs a whole number of at least 1; got \"{value}\".");
                    i++;
                    break;
                case "--json":
                    if (string.IsNullOrEmpty(value))
                        return Invalid("--json needs a file name.");
                    json = value;
                    i++;
                    break;
                case "--stacked":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out stacked) || stacked < 1)
                        return Invalid($"--stacked needs a whole number of at least 1; got \"{value}\".");
                    i++;
                    break;
                case "--rss-epochs":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rssEpochs) || rssEpochs < 11)
                        return Invalid($"--rss-epochs needs a whole number of at least 11; got \"{value}\".");
                    i++;
                    break;
                case "--lanes":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var laneCount))
                        return Invalid($"--lanes needs a whole number, 0 or more; got \"{value}\".");
                    lanes = laneCount;
                    i++;
                    break;
                case "--child":
                    child = true;
                    break;
                default:
                    return Invalid($"Unknown argument \"{args[i]}\".");
            }
        }
        return new BenchmarkArguments(workloads, threads, json, child, null, stacked, rssEpochs, lanes);
    }

    private static BenchmarkArguments Invalid(string error) => new([], 0, null, false, error);
}
