using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using RandomFit.LoadViewers;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

// Trains one experiment with no viewers, then the same experiment again with many hub clients watching, and compares
// training time and page latency. The app must already listen at --url; scripts/load-viewers.sh starts one.
var options = LoadOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
var presets = await http.GetFromJsonAsync<List<PresetItem>>("/api/presets", SpecJson.Options, deadline.Token);
var preset = presets!.Single(p => p.Id == options.Preset);
var spec = preset.Spec with { Training = preset.Spec.Training! with { Epochs = options.Epochs } };
var seeds = Enumerable.Range(0, options.Seeds).ToList();
var body = new { spec, seeds };

var quiet = await TrainAsync(viewers: null);
await using var pool = await ViewerPool.ConnectAsync(options.Url, options.Viewers, deadline.Token);
var watched = await TrainAsync(pool);
var tally = pool.Tally(quiet.Runs);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    preset {options.Preset}, {options.Seeds} seeds, {spec.Training!.Epochs} epochs, {quiet.Runs} runs, {Environment.ProcessorCount} cores
    phase          train s (sum of runs)   wall s   page GETs   p50 ms   p95 ms
    no viewers     {quiet.TrainSeconds,21:F1}   {quiet.WallSeconds,6:F1}   {quiet.Probe.Count,9}   {quiet.Probe.Percentile(0.5),6:F1}   {quiet.Probe.Percentile(0.95),6:F1}
    {options.Viewers,3} viewers    {watched.TrainSeconds,21:F1}   {watched.WallSeconds,6:F1}   {watched.Probe.Count,9}   {watched.Probe.Percentile(0.5),6:F1}   {watched.Probe.Percentile(0.95),6:F1}
    training slowdown with viewers: {watched.TrainSeconds / quiet.TrainSeconds:F3}x
    epoch events per viewer: min {tally.MinEpochs}, max {tally.MaxEpochs}, expected {quiet.Runs * spec.Training.Epochs}; out of order {tally.OutOfOrder}; viewers that saw every run end {tally.ViewersWithAllFinals}/{options.Viewers}
    """));
return tally.MinEpochs == quiet.Runs * spec.Training.Epochs && tally.OutOfOrder == 0 ? 0 : 1;

async Task<Phase> TrainAsync(ViewerPool? viewers)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.PostAsJsonAsync("/api/experiments", body, SpecJson.Options, deadline.Token);
    response.EnsureSuccessStatusCode();
    var created = (await response.Content.ReadFromJsonAsync<ExperimentCreated>(SpecJson.Options, deadline.Token))!;
    if (viewers is not null)
    {
        await viewers.WatchExperimentAsync(created.Id, deadline.Token);
    }

    using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
    var probe = new PageProbe(http, [$"/experiments/{created.Id}", $"/runs/{created.Runs[0].Id}", "/runs"]);
    var probing = probe.RunAsync(stopProbe.Token);

    // Poll the API once a second until every run has ended.
    List<RunDetails> runs;
    do
    {
        await Task.Delay(1000, deadline.Token);
        runs = [];
        foreach (var run in created.Runs)
        {
            runs.Add((await http.GetFromJsonAsync<RunDetails>($"/api/runs/{run.Id}", SpecJson.Options, deadline.Token))!);
        }
    }
    while (runs.Any(run => run.Status is RunStatus.Queued or RunStatus.Running));

    stopProbe.Cancel();
    await probing;
    var trainSeconds = runs.Sum(run => run.Epochs.Count > 0 ? run.Epochs[^1].ElapsedSeconds : 0);
    return new Phase(runs.Count, trainSeconds, clock.Elapsed.TotalSeconds, probe);
}

internal sealed record Phase(int Runs, double TrainSeconds, double WallSeconds, PageProbe Probe);

internal sealed record LoadOptions(Uri Url, int Viewers, string Preset, int Seeds, int Epochs, int TimeoutSeconds)
{
    public const string Usage =
        "usage: dotnet run -c Release --project RandomFit.LoadViewers -- --url http://127.0.0.1:PORT\n"
        + "  [--viewers N (100)] [--preset ID (cnn-vs-mlp)] [--seeds N (1)] [--epochs N (4)]\n"
        + "  [--timeout-seconds N (240)]";

    public static LoadOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return new LoadOptions(
            uri,
            Number(values, "--viewers") ?? 100,
            values.GetValueOrDefault("--preset", "cnn-vs-mlp"),
            Number(values, "--seeds") ?? 1,
            Number(values, "--epochs") ?? 4,
            Number(values, "--timeout-seconds") ?? 240);
    }

    private static int? Number(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
