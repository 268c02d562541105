using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
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
        // A web node trains nothing, so the runs stay queued. The gate pauses the delete's status update until the
        // test has claimed the first run, as a worker node could between the delete's read and its update.
        var gate = new CommandGate(["UPDATE \"runs\"", "IN ('queued', 'interrupted')"], ClaimMarker, releaseAfter: 2);
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Role"] = "web",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
        })
        {
            LogProviders = [gate],
        };
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                name = "delete while claimed",
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16, testSamples = 8 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 2, batchSize = 8 },
                seeds = new[] { 0, 1 },
            },
        });
        var claimed = created.Runs[0].Id;
        var waiting = created.Runs[1].Id;
        var events = new List<RunEvent>();
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            lock (events)
            {
                events.Add(runEvent);
            }
        });

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
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Role"] = "web",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
        })
        {
            LogProviders = [gate],
        };
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                name = "delete while rerun",
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16, testSamples = 8 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 2, batchSize = 8 },
            },
        });
        var events = new List<RunEvent>();
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            lock (events)
            {
                events.Add(runEvent);
            }
        });

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
