using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using Microsoft.Extensions.Logging;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

public sealed class ExperimentDeleteTests
{
    private const string ClaimMarker = "claimed while the delete waits";
    private const string ReleaseMarker = "release the paused delete";

    [Fact]
    public async Task Delete_RunClaimedMeanwhile_NotAnnouncedCancelled()
    {
        // The gate pauses the delete's status update until the test has claimed the first run, as a worker node could
        // between the delete's read and its update.
        var gate = new CommandGate(["UPDATE \"runs\"", "IN ('queued', 'interrupted')"], ClaimMarker, releaseAfter: 2);
        await using var host = GatedWebHost(gate);
        var created = await host.CreateExperimentAsync(TinySpec("delete while claimed", 0, 1));
        var claimed = created.Runs[0].Id;
        var waiting = created.Runs[1].Id;
        var events = new List<RunEvent>();
        using var subscription = Record(host, events);

        using var client = host.CreateClient();
        var cancellation = TestContext.Current.CancellationToken;
        var delete = client.DeleteAsync($"/api/experiments/{created.Id}", cancellation);
        await WaitUntilAsync(() => gate.Paused);
        await using (var db = await host.GetService<IDbContextFactory<RandomFitDbContext>>().CreateDbContextAsync(cancellation))
        {
            // The SQL comments are the gate's marker, written out because an interpolated value would become a
            // parameter. A command is logged just before it runs, so the second one releases the gate only after
            // the claim has run.
            await db.Database.ExecuteSqlAsync(
                $"UPDATE runs SET \"Status\" = 'running' WHERE \"Id\" = {claimed} -- claimed while the delete waits",
                cancellation);
            await db.Database.ExecuteSqlAsync($"SELECT 1 -- claimed while the delete waits", cancellation);
        }

        var response = await delete;

        Assert.True(response.IsSuccessStatusCode);
        lock (events)
        {
            Assert.DoesNotContain(events, e => e is StatusEvent { Status: RunStatus.Cancelled } s && s.RunId == claimed);
            Assert.Contains(events, e => e is StatusEvent { Status: RunStatus.Cancelled } s && s.RunId == waiting);
        }
    }

    [Fact]
    public async Task Delete_RerunAddedMeanwhile_CancelsItToo()
    {
        // The gate pauses the delete's status update, so a rerun requested during the delete reaches the store after
        // the delete has read the experiment's runs.
        var gate = new CommandGate(["UPDATE \"runs\"", "IN ('queued', 'interrupted')"], ReleaseMarker, releaseAfter: 1);
        await using var host = GatedWebHost(gate);
        var created = await host.CreateExperimentAsync(TinySpec("delete while rerun", 0));
        var events = new List<RunEvent>();
        using var subscription = Record(host, events);

        using var client = host.CreateClient();
        var cancellation = TestContext.Current.CancellationToken;
        var delete = client.DeleteAsync($"/api/experiments/{created.Id}", cancellation);
        await WaitUntilAsync(() => gate.Paused);
        var rerun = client.PostAsync($"/api/runs/{created.Runs[0].Id}/rerun", null, cancellation);

        // The rerun gets a moment to be stored while the delete is paused, as it would be without any ordering
        // between the two requests.
        await Task.WhenAny(rerun, Task.Delay(TimeSpan.FromSeconds(2), cancellation));
        var dbFactory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellation))
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 -- release the paused delete", cancellation);
        }

        var deleteResponse = await delete;
        var rerunResponse = await rerun;
        var rerunText = await rerunResponse.Content.ReadAsStringAsync(cancellation);

        Assert.Equal(HttpStatusCode.NoContent, deleteResponse.StatusCode);
        Assert.Contains(rerunResponse.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.NotFound });
        if (rerunResponse.StatusCode == HttpStatusCode.Created)
        {
            var added = JsonSerializer.Deserialize<RunItem>(rerunText, SpecJson.Options)!;
            lock (events)
            {
                Assert.Contains(events, e => e is StatusEvent { Status: RunStatus.Cancelled } s && s.RunId == added.Id);
            }
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellation))
        {
            Assert.Equal(0, await db.Runs.CountAsync(r => r.ExperimentId == created.Id, cancellation));
        }
    }

    [Fact]
    public async Task Delete_PublishesDeletedOnceAfterRows()
    {
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Role"] = "web",
        });
        var created = await host.CreateExperimentAsync(TinySpec("deleted event", 0, 1));
        var dbFactory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        var events = new List<RunEvent>();
        var rowsAtDeletedEvent = new List<(int Experiments, int Runs)>();
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            lock (events)
            {
                events.Add(runEvent);
            }

            if (runEvent is ExperimentDeletedEvent)
            {
                // Handlers run on the publisher's thread, so this reads the store as it is when the event goes out.
                using var db = dbFactory.CreateDbContext();
                var rows = (db.Experiments.Count(e => e.Id == created.Id), db.Runs.Count(r => r.ExperimentId == created.Id));
                lock (events)
                {
                    rowsAtDeletedEvent.Add(rows);
                }
            }
        });

        using var client = host.CreateClient();
        var response = await client.DeleteAsync($"/api/experiments/{created.Id}", TestContext.Current.CancellationToken);
        var again = await client.DeleteAsync($"/api/experiments/{created.Id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        lock (events)
        {
            var deleted = Assert.Single(events.OfType<ExperimentDeletedEvent>());
            Assert.Equal(created.Id, deleted.ExperimentId);
            Assert.Equal("", deleted.RunId);
            Assert.Equal((0, 0), Assert.Single(rowsAtDeletedEvent));

            // The cancelled statuses of the queued runs go out before the deletion, which is the last event.
            Assert.Same(deleted, events[^1]);
            Assert.Equal(
                created.Runs.Select(run => run.Id).Order(),
                events.OfType<StatusEvent>().Where(e => e.Status == RunStatus.Cancelled).Select(e => e.RunId).Order());
        }
    }

    [Fact]
    public async Task Delete_HubClientGetsNoNewPush()
    {
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Role"] = "web",
        });
        var created = await host.CreateExperimentAsync(TinySpec("deleted while watched", 0, 1));
        var clientLog = new RecordingLog();
        await using var hub = await host.ConnectHubAsync(clientLog);
        await hub.WatchExperimentAsync(created.Id);
        await hub.WatchRunAsync(created.Runs[0].Id);
        await hub.WaitUntilAsync(events => events.Count(e => e.Status == "queued") == created.Runs.Count);

        using var client = host.CreateClient();
        var response = await client.DeleteAsync($"/api/experiments/{created.Id}", TestContext.Current.CancellationToken);

        // Each connection sends from one ordered queue, so once the status of a run watched after the delete has
        // arrived, any push that the delete caused has arrived before it.
        var later = await host.CreateExperimentAsync(TinySpec("watched after the delete", 0, 1));
        await hub.WatchRunAsync(later.Runs[0].Id);
        await hub.WaitUntilAsync(events => events.Any(e => e.RunId == later.Runs[0].Id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var run in created.Runs)
        {
            Assert.Equal(["queued", "cancelled"], hub.For(run.Id).Select(e => e.Status));
        }

        Assert.Equal([RunsHubContract.StatusEvent], hub.For(later.Runs[0].Id).Select(e => e.Name));
        Assert.Equal(2 * created.Runs.Count + 1, hub.Events.Count);
        Assert.DoesNotContain(clientLog.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    private static object TinySpec(string name, params int[] seeds) => new
    {
        spec = new
        {
            name,
            data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16, testSamples = 8 },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
            training = new { epochs = 2, batchSize = 8 },
            seeds,
        },
    };

    // A web node trains nothing, so the runs stay queued. The gate reads the SQL commands the host logs.
    private static RandomFitHostFactory GatedWebHost(CommandGate gate) => new(settings: new Dictionary<string, string?>
    {
        ["RandomFit:Role"] = "web",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
    })
    {
        LogProviders = [gate],
    };

    private static IDisposable Record(RandomFitHostFactory host, List<RunEvent> events) =>
        host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            lock (events)
            {
                events.Add(runEvent);
            }
        });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The delete's update was never paused.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
