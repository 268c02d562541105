using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Web;

/// <summary>
/// The real app in process on a temporary SQLite file, training on the CPU with one libtorch thread.
/// Pass the path of an earlier host's database to start a second host on the same file.
/// </summary>
public sealed class RandomFitHostFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings;

    public RandomFitHostFactory(string? databasePath = null, IDictionary<string, string?>? settings = null)
    {
        _ownsDatabase = databasePath is null;
        DatabasePath = databasePath ?? NewDatabasePath();
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RandomFit"] = $"Data Source={DatabasePath}",
            ["RandomFit:Training:Device"] = "cpu",
            ["RandomFit:Training:Threads"] = "1",

            // The default worker id is the machine name and process id, which every host in this test process shares.
            // NOTE: with a shared id, a host started on the database of a stopped one sometimes found its worker row
            // gone under load, and its sweeper interrupted its own runs. What removed the row was not found.
            ["RandomFit:Worker:Name"] = $"test-{Guid.NewGuid():N}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DatabasePath { get; }

    /// <summary>Receives the app's log entries when set before the host starts.</summary>
    public RecordingLog? Log { get; init; }

    /// <summary>More logger providers for the host, such as one that pauses on a database command.</summary>
    public IReadOnlyList<ILoggerProvider> LogProviders { get; init; } = [];

    public static string NewDatabasePath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "randomfit-tests");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    /// <summary>Deletes a database file and its write-ahead log.</summary>
    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".lock" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Creates an experiment and returns the created body, failing the test on any status but 201.</summary>
    public async Task<ExperimentCreated> CreateExperimentAsync(object body)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/experiments", body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/experiments answered {response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<ExperimentCreated>(text, SpecJson.Options)!;
    }

    public async Task<RunDetails> GetRunAsync(string runId)
    {
        using var client = CreateClient();
        var text = await client.GetStringAsync($"/api/runs/{runId}", TestContext.Current.CancellationToken);
        return System.Text.Json.JsonSerializer.Deserialize<RunDetails>(text, SpecJson.Options)!;
    }

    /// <summary>Polls the run until the condition holds; training has no event a test could await over HTTP.</summary>
    public async Task<RunDetails> WaitForRunAsync(string runId, Func<RunDetails, bool> condition, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var run = await GetRunAsync(runId);
            if (condition(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is {run.Status} with {run.Epochs.Count} epochs.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public Task<RunDetails> WaitForFinalAsync(string runId) =>
        WaitForRunAsync(runId, run => run.Status is not (RunStatus.Queued or RunStatus.Running));

    /// <summary>
    /// Connects a recording hub client over long polling, which the in-process test server supports. When set,
    /// <paramref name="clientLog"/> receives the client's own log.
    /// </summary>
    public async Task<HubRecorder> ConnectHubAsync(ILoggerProvider? clientLog = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, RunsHubContract.Path), options =>
            {
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(options => SpecJson.Configure(options.PayloadSerializerOptions));
        if (clientLog is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(clientLog));
        }

        var connection = builder.Build();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return recorder;
    }

    public T GetService<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Log is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Log));
        }

        foreach (var provider in LogProviders)
        {
            builder.ConfigureServices(services => services.AddSingleton(provider));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }
}
