using System.Net;
using System.Text.Json;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

/// <summary>
/// A cancel that arrives after a run's last epoch, while the scheduler commits its final status. The run can no
/// longer end cancelled then, so the cancel returns 409 naming the status it ended with.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CancelWhileFinishingTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_StatusCommitted_Returns409()
    {
        // Feed subscribers run on the scheduler's thread. Blocking on the completed event holds the run after its
        // final status is committed and before the scheduler releases it, and the cancel is sent in that window.
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();
        var cancelWhileFinishing = new TaskCompletionSource<HttpResponseMessage?>(
            TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            if (runEvent is StatusEvent { Status: RunStatus.Completed } completed
                && !cancelWhileFinishing.Task.IsCompleted)
            {
                var cancel = client.PostAsync($"/api/runs/{completed.RunId}/cancel", null, Cancellation);
                cancelWhileFinishing.TrySetResult(cancel.Wait(WaitLimit, Cancellation) ? cancel.Result : null);
            }
        });

        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        var runId = created.Runs[0].Id;
        var response = await cancelWhileFinishing.Task.WaitAsync(WaitLimit * 4, Cancellation);
        var run = await host.WaitForFinalAsync(runId);

        Assert.NotNull(response);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(EndedDetail(runId), await ReadDetailAsync(response));
    }

    [Fact]
    public async Task Cancel_StatusBeingCommitted_Returns409()
    {
        // The gate pauses the scheduler's update that writes the final status, so the cancel arrives while the run
        // still reads running. The cancel's own read of the status releases the gate. That read and the update then
        // run in either order, so the read returns running (and the cancel waits for the commit) or completed.
        var gate = new CommandGate(["UPDATE \"runs\"", "\"Error\" ="], "SELECT \"r\".\"Status\"", releaseAfter: 1);
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
        })
        {
            LogProviders = [gate],
        };
        using var client = host.CreateClient();

        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        var runId = created.Runs[0].Id;
        await WaitUntilPausedAsync(gate);
        var response = await client.PostAsync($"/api/runs/{runId}/cancel", null, Cancellation);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(EndedDetail(runId), await ReadDetailAsync(response));
    }

    private static string EndedDetail(string runId) =>
        $"Run '{runId}' has already ended (completed). Only queued, running or interrupted runs can be cancelled.";

    private static async Task<string?> ReadDetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return problem.RootElement.GetProperty("detail").GetString();
    }

    private static async Task WaitUntilPausedAsync(CommandGate gate)
    {
        var deadline = DateTime.UtcNow + WaitLimit * 4;
        while (!gate.Paused)
        {
            Assert.True(DateTime.UtcNow < deadline, "The run's final status update was never paused.");
            await Task.Delay(10, Cancellation);
        }
    }
}
