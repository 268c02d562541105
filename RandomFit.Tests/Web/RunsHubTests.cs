using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

[Collection(TorchCollection.Name)]
public sealed class RunsHubTests
{
    [Fact]
    public async Task WatchRun_ArticleExample3_ReceivesEveryEpochOnceThenCompleted()
    {
        await using var host = new RandomFitHostFactory();
        await using var hub = await host.ConnectHubAsync();

        var created = await host.CreateExperimentAsync(new { preset = "article-example-3" });
        var runId = Assert.Single(created.Runs).Id;
        await hub.WatchRunAsync(runId);
        await hub.WaitForFinalAsync(runId);
        var stored = await host.GetRunAsync(runId);

        var events = hub.For(runId);
        Assert.Equal(Enumerable.Range(1, 100), HubRecorder.EpochNumbers(events));
        Assert.Equal("completed", events[^1].Status);
        Assert.Equal(stored.Epochs, events.Where(e => e.Metrics is not null).Select(e => e.Metrics!));
    }

    [Fact]
    public async Task WatchRun_MidRun_SendsHistoryThenLiveInOrder()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000));
        var runId = created.Runs[0].Id;
        await host.WaitForRunAsync(runId, run => run.Epochs.Count >= 5);

        // The run is far from done, so the watch starts mid-run; cancelling then gives it a known end.
        await using var hub = await host.ConnectHubAsync();
        await hub.WatchRunAsync(runId);
        var history = await host.GetRunAsync(runId);
        await hub.WaitUntilAsync(events => HubRecorder.EpochNumbers(events).Count >= history.Epochs.Count + 20);
        using var client = host.CreateClient();
        await client.PostAsync($"/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);
        await hub.WaitForFinalAsync(runId);
        var stored = await host.GetRunAsync(runId);

        var events = hub.For(runId);
        Assert.Equal(Enumerable.Range(1, stored.Epochs.Count), HubRecorder.EpochNumbers(events));
        Assert.Equal(["running", "cancelled"], events.Where(e => e.Status is not null).Select(e => e.Status));
        Assert.Equal("cancelled", events[^1].Status);
    }

    [Fact]
    public async Task WatchRun_AfterCompletion_SendsHistoryThenFinalStatus()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 5));
        var runId = created.Runs[0].Id;
        await host.WaitForFinalAsync(runId);

        await using var hub = await host.ConnectHubAsync();
        await hub.WatchRunAsync(runId);
        await hub.WaitForFinalAsync(runId);

        var events = hub.For(runId);
        Assert.Equal([1, 2, 3, 4, 5], HubRecorder.EpochNumbers(events));
        Assert.Equal(6, events.Count);
        Assert.Equal("completed", events[^1].Status);
    }

    [Fact]
    public async Task WatchRun_WhileWriteLockHeld_SendsHistory()
    {
        await using var host = new RandomFitHostFactory();
        var runId = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3))).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await using var hub = await host.ConnectHubAsync();

        // Another connection holds SQLite's write lock, as the epoch writer does while it commits. Readers of a
        // database in WAL mode go on from the last commit, so the watch must not wait for the lock.
        await using var writer = new SqliteConnection($"Data Source={host.DatabasePath}");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        var transaction = writer.BeginTransaction(deferred: false);
        var watch = hub.WatchRunAsync(runId);
        var first = await Task.WhenAny(watch, Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        transaction.Rollback();
        await watch;
        await hub.WaitForFinalAsync(runId);

        Assert.True(first == watch, "WatchRun waited for another connection's write lock.");
        Assert.Equal([1, 2, 3], HubRecorder.EpochNumbers(hub.For(runId)));
    }

    [Fact]
    public async Task WatchRun_RetryAfterFailedRead_SendsHistory()
    {
        await using var host = new RandomFitHostFactory();
        var runId = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3))).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await using var hub = await host.ConnectHubAsync();

        // Renaming the epochs table makes the history read fail, as a database error would.
        await using var database = new SqliteConnection($"Data Source={host.DatabasePath}");
        await database.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(database, "ALTER TABLE epochs RENAME TO epochs_hidden");
        await Assert.ThrowsAsync<HubException>(() => hub.WatchRunAsync(runId));
        await ExecuteAsync(database, "ALTER TABLE epochs_hidden RENAME TO epochs");
        await hub.WatchRunAsync(runId);
        await hub.WaitForFinalAsync(runId, timeoutSeconds: 15);

        var events = hub.For(runId);
        Assert.Equal([1, 2, 3], HubRecorder.EpochNumbers(events));
        Assert.Equal("completed", events[^1].Status);
    }

    [Fact]
    public async Task WatchRun_DirectAndThroughExperiment_SendsEachEventOnce()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 200));
        var runId = created.Runs[0].Id;

        await using var hub = await host.ConnectHubAsync();
        await hub.WatchRunAsync(runId);
        await hub.WatchExperimentAsync(created.Id);
        await hub.WaitForFinalAsync(runId);

        var events = hub.For(runId);
        Assert.Equal(Enumerable.Range(1, 200), HubRecorder.EpochNumbers(events));
        Assert.Single(events, e => e.Status == "completed");
    }

    [Fact]
    public async Task WatchExperiment_SeveralSeeds_CoversEveryRun()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3, seeds: [0, 1]));

        await using var hub = await host.ConnectHubAsync();
        await hub.WatchExperimentAsync(created.Id);
        foreach (var run in created.Runs)
        {
            await hub.WaitForFinalAsync(run.Id);
        }

        Assert.All(created.Runs, run => Assert.Equal([1, 2, 3], HubRecorder.EpochNumbers(hub.For(run.Id))));
    }

    [Fact]
    public async Task WatchRun_UnknownId_RaisesRunNotFound()
    {
        await using var host = new RandomFitHostFactory();
        await using var hub = await host.ConnectHubAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.WatchRunAsync("nosuchrun"));

        Assert.EndsWith(RunsHubContract.RunNotFound, error.Message);
    }

    [Fact]
    public async Task WatchRun_UnknownId_LogsRejectionNotError()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        await using var hub = await host.ConnectHubAsync();

        await Assert.ThrowsAsync<HubException>(() => hub.WatchRunAsync("nosuchrun"));

        var rejection = Assert.Single(log.Entries, entry => entry.Category == typeof(HubCallLogging).FullName);
        Assert.Equal(LogLevel.Information, rejection.Level);
        Assert.Equal($"Hub call WatchRun(nosuchrun) rejected: {RunsHubContract.RunNotFound}", rejection.Message);
        Assert.DoesNotContain(log.Entries, entry => entry.Level >= LogLevel.Warning && IsHubOrApp(entry.Category));
    }

    [Theory]
    [InlineData(RunsHubContract.WatchRun, null, RunsHubContract.RunNotFound)]
    [InlineData(RunsHubContract.WatchRun, "", RunsHubContract.RunNotFound)]
    [InlineData(RunsHubContract.WatchExperiment, null, RunsHubContract.ExperimentNotFound)]
    public async Task Watch_MissingId_RaisesNotFoundWithoutError(string method, string? id, string expected)
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        await using var hub = await host.ConnectHubAsync();

        var error = await Assert.ThrowsAsync<HubException>(
            () => hub.Connection.InvokeAsync(method, id, TestContext.Current.CancellationToken));

        Assert.EndsWith(expected, error.Message);
        Assert.DoesNotContain(log.Entries, entry => entry.Level >= LogLevel.Warning && IsHubOrApp(entry.Category));
    }

    [Fact]
    public async Task WatchExperiment_UnknownId_RaisesExperimentNotFound()
    {
        await using var host = new RandomFitHostFactory();
        await using var hub = await host.ConnectHubAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.WatchExperimentAsync("nosuchexperiment"));

        Assert.EndsWith(RunsHubContract.ExperimentNotFound, error.Message);
    }

    [Fact]
    public async Task Disconnect_MidRun_TrainingGoesOnAndNewClientGetsWholeCurve()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000));
        var runId = created.Runs[0].Id;
        var first = await host.ConnectHubAsync();
        await first.WatchRunAsync(runId);
        await first.WaitUntilAsync(events => HubRecorder.EpochNumbers(events).Count >= 3);

        await first.DisposeAsync();
        var afterDisconnect = await host.GetRunAsync(runId);
        await host.WaitForRunAsync(runId, run => run.Epochs.Count > afterDisconnect.Epochs.Count + 20);
        await using var second = await host.ConnectHubAsync();
        await second.WatchRunAsync(runId);
        var atWatch = await host.GetRunAsync(runId);
        await second.WaitUntilAsync(events => HubRecorder.EpochNumbers(events).Count >= atWatch.Epochs.Count + 20);
        using var client = host.CreateClient();
        await client.PostAsync($"/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);
        await second.WaitForFinalAsync(runId);
        var stored = await host.GetRunAsync(runId);

        var events = second.For(runId);
        Assert.Equal(RunStatus.Running, afterDisconnect.Status);
        Assert.Equal(Enumerable.Range(1, stored.Epochs.Count), HubRecorder.EpochNumbers(events));
        Assert.Equal("cancelled", events[^1].Status);
        Assert.Equal(1, host.GetService<RunScheduler>().JobsStarted);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    // The categories a hub call can log under. Others, such as data protection warning on a machine without keys,
    // have nothing to do with the call.
    private static bool IsHubOrApp(string category) =>
        category.StartsWith("RandomFit", StringComparison.Ordinal)
        || category.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal);
}
