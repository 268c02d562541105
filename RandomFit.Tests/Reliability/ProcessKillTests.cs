using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Reliability;

/// <summary>Kills the real web app process mid-run with SIGKILL and restarts it on the same database.</summary>
[Collection(TorchCollection.Name)]
public sealed class ProcessKillTests : IDisposable
{
    private readonly string _databasePath = RandomFitHostFactory.NewDatabasePath();

    public void Dispose() => RandomFitHostFactory.DeleteDatabase(_databasePath);

    [Fact]
    public async Task Restart_AfterKillMidRun_KeepsEpochsAndResumesQueue()
    {
        string runningId;
        string queuedId;
        IReadOnlyList<RandomFit.Training.Training.EpochMetrics> seenBeforeKill;
        using (var first = await WebAppProcess.StartAsync(_databasePath))
        {
            using var client = first.CreateClient();
            runningId = (await CreateAsync(client, TestSpecs.TinyMlp(epochs: 100_000))).Runs[0].Id;
            queuedId = (await CreateAsync(client, TestSpecs.TinyMlp(epochs: 3))).Runs[0].Id;
            seenBeforeKill = (await WaitForRunAsync(client, runningId, run => run.Epochs.Count >= 5)).Epochs;
            first.KillHard();
        }

        using var second = await WebAppProcess.StartAsync(_databasePath);
        using var secondClient = second.CreateClient();
        var interrupted = await WaitForRunAsync(secondClient, runningId, _ => true);
        var resumed = await WaitForRunAsync(secondClient, queuedId, run => run.Status == RunStatus.Completed);

        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.True(interrupted.Epochs.Count >= seenBeforeKill.Count, $"{interrupted.Epochs.Count} epochs kept");
        Assert.Equal(seenBeforeKill, interrupted.Epochs.Take(seenBeforeKill.Count));
        Assert.Equal(Enumerable.Range(1, interrupted.Epochs.Count), interrupted.Epochs.Select(e => e.Epoch));
        Assert.Equal([1, 2, 3], resumed.Epochs.Select(e => e.Epoch));
    }

    private static async Task<ExperimentCreated> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/experiments", body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<ExperimentCreated>(text, SpecJson.Options)!;
    }

    private static async Task<RunDetails> WaitForRunAsync(
        HttpClient client,
        string runId,
        Func<RunDetails, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var text = await client.GetStringAsync($"/api/runs/{runId}", TestContext.Current.CancellationToken);
            var run = JsonSerializer.Deserialize<RunDetails>(text, SpecJson.Options)!;
            if (condition(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is {run.Status} with {run.Epochs.Count} epochs.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
