using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RandomFit.Tests.Reliability;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Nodes;

/// <summary>
/// Real PostgreSQL and Redis on loopback ports, one web node and two worker processes of the built app.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class TeamDeploymentTests
{
    private const int Epochs = 40;
    private const string FirstWorker = "worker-a";
    private const string SecondWorker = "worker-b";

    [Fact]
    public async Task Workers_OneKilledMidRun_ClaimOnceAndStream()
    {
        var postgresBinaries = PostgresServer.FindBinaries();
        if (postgresBinaries is null)
        {
            Assert.Skip("PostgreSQL server binaries not found (Debian package postgresql); " +
                "install it with apt-get install postgresql to run the team deployment test.");
        }

        var redisBinary = RedisServer.FindBinary();
        if (redisBinary is null)
        {
            Assert.Skip("Redis server not found (Debian package redis-server); " +
                "install it with apt-get install redis-server to run the team deployment test.");
        }

        await using var postgres = await PostgresServer.StartAsync(postgresBinaries);
        using var redis = await RedisServer.StartAsync(redisBinary);
        using var web = await WebAppProcess.StartAsync(NodeSettings(postgres, redis, "web", "web"));
        var workerStarts = new[] { FirstWorker, SecondWorker }
            .Select(name => WebAppProcess.StartAsync(NodeSettings(postgres, redis, "worker", name)));
        var workers = await Task.WhenAll(workerStarts);
        using var first = workers[0];
        using var second = workers[1];
        await using var hub = await ConnectHubAsync(web);

        // Workers poll the queue, so both race for these runs from the moment they are stored.
        var experiment = await CreateExperimentAsync(web);
        var runIds = experiment.Runs.Select(r => r.Id).ToList();
        await hub.WatchExperimentAsync(experiment.Id);
        var killedRunId = await WaitForRunningEpochAsync(postgres, hub, SecondWorker);
        second.KillHard();
        await hub.WaitUntilAsync(events => runIds.All(id => events.Any(e => e.RunId == id && IsFinal(e.Status))), 100);
        var stored = await ReadRunsAsync(postgres);

        // Every run ends where expected: the killed worker's run interrupted, the rest completed.
        Assert.Equal(12, stored.Count);
        Assert.Equal("interrupted", stored[killedRunId].Status);
        Assert.All(stored.Where(r => r.Key != killedRunId), r => Assert.Equal("completed", r.Value.Status));
        Assert.Equal(Epochs * 11, stored.Where(r => r.Key != killedRunId).Sum(r => r.Value.EpochCount));

        // Claimed exactly once: each run id starts in exactly one worker's log, once, by the worker stored on it.
        var starts = StartedRuns(first.Lines, FirstWorker).Concat(StartedRuns(second.Lines, SecondWorker)).ToList();
        Assert.Equal(runIds.Order(), starts.Select(s => s.RunId).Order());
        Assert.All(starts, s => Assert.Equal(s.Worker, stored[s.RunId].WorkerId));
        Assert.Contains(stored.Values, r => r.WorkerId == FirstWorker);
        Assert.Equal(SecondWorker, stored[killedRunId].WorkerId);

        // The hub client on the web node saw every stored epoch of every run in order, then the final status last.
        foreach (var runId in runIds)
        {
            var events = hub.For(runId);
            Assert.Equal(Enumerable.Range(1, stored[runId].EpochCount), HubRecorder.EpochNumbers(events));
            Assert.Equal(stored[runId].Status, events[^1].Status);
        }
    }

    private static Dictionary<string, string> NodeSettings(
        PostgresServer postgres,
        RedisServer redis,
        string role,
        string name) => new()
    {
        ["RandomFit__Database__Provider"] = "postgres",
        ["ConnectionStrings__RandomFit"] = postgres.ConnectionString,
        ["ConnectionStrings__Redis"] = redis.ConnectionString,
        ["RandomFit__Role"] = role,
        ["RandomFit__Worker__Name"] = name,
        ["RandomFit__Worker__HeartbeatSeconds"] = "0.5",
        ["RandomFit__Worker__TimeoutSeconds"] = "6",
        ["RandomFit__Worker__PollSeconds"] = "0.2",
        ["RandomFit__Scheduler__Concurrency"] = "1",
    };

    private static async Task<HubRecorder> ConnectHubAsync(WebAppProcess web)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(web.Address, RunsHubContract.Path))
            .AddJsonProtocol(options => SpecJson.Configure(options.PayloadSerializerOptions))
            .Build();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return recorder;
    }

    private static async Task<ExperimentCreated> CreateExperimentAsync(WebAppProcess web)
    {
        // 64 batches an epoch keep a run long enough to kill a worker mid-run (seconds on one CPU thread, an
        // estimate that varies with the machine) while 12 runs still finish within the test's budget.
        var body = new
        {
            spec = new
            {
                name = "team deployment",
                data = new { shape = new { channels = 1, height = 8, width = 8 }, trainSamples = 512, testSamples = 32 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 16 } } },
                training = new { epochs = Epochs, batchSize = 8 },
                seeds = Enumerable.Range(0, 12).ToArray(),
            },
        };
        using var client = web.CreateClient();
        var response = await client.PostAsJsonAsync("/api/experiments", body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/experiments answered {response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ExperimentCreated>(text, SpecJson.Options)!;
    }

    // Returns a run the worker is training once the hub client has received one of its epochs.
    private static async Task<string> WaitForRunningEpochAsync(PostgresServer postgres, HubRecorder hub, string worker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var running = (await ReadRunsAsync(postgres))
                .Where(r => r.Value.WorkerId == worker && r.Value.Status == "running")
                .Select(r => r.Key)
                .FirstOrDefault(id => hub.For(id).Any(e => e.Name == RunsHubContract.EpochEvent));
            if (running is not null)
            {
                return running;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Worker {worker} trained no epoch within 60 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<Dictionary<string, StoredRun>> ReadRunsAsync(PostgresServer postgres)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT r."Id", r."Status", r."WorkerId", (SELECT count(*) FROM epochs e WHERE e."RunId" = r."Id"), r."Error"
            FROM runs r
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var runs = new Dictionary<string, StoredRun>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            runs[reader.GetString(0)] = new StoredRun(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                (int)reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return runs;
    }

    private static IEnumerable<(string RunId, string Worker)> StartedRuns(IEnumerable<string> lines, string worker) =>
        lines.Select(line => RunStarted().Match(line))
            .Where(match => match.Success)
            .Select(match => (match.Groups[1].Value, worker));

    private static bool IsFinal(string? status) => status is "completed" or "failed" or "cancelled" or "interrupted";

    [GeneratedRegex(@"Run (\S+) started: model")]
    private static partial Regex RunStarted();

    private sealed record StoredRun(string Status, string? WorkerId, int EpochCount, string? Error);
}
