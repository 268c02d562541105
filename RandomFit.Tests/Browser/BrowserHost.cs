using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Browser;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 and a port the system picks, with a temporary SQLite file and CPU training on one
/// libtorch thread, so a real browser can reach it.
/// </summary>
internal sealed class BrowserHost : WebApplicationFactory<Program>
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"randomfit-browser-{Guid.NewGuid():N}.db");

    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="configure">Extra host settings of one test, applied after the defaults.</param>
    public BrowserHost(Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        // Port 0 lets Kestrel bind a free port itself. A port probed beforehand could be taken by another socket
        // before Kestrel binds it.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The address Kestrel listens on, once the server has started.</summary>
    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:RandomFit", $"Data Source={_databasePath}");
        builder.UseSetting("RandomFit:Training:Device", "cpu");
        builder.UseSetting("RandomFit:Training:Threads", "1");

        // A closed tab's disconnect request can wait on interop calls that MudBlazor makes while the circuit is disposed,
        // and shutdown waits for that request. The browser is closed by then, so waiting 3 s is enough.
        builder.ConfigureServices(services => services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(3)));
        _configure?.Invoke(builder);
    }

    /// <summary>Creates a tiny MLP experiment through the API, waits for every run to end, and returns the run ids.</summary>
    public static async Task<string[]> CreateFinishedRunsAsync(Uri baseAddress, int epochs, int[] seeds)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var cancellation = TestContext.Current.CancellationToken;
        var response = await client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs, seeds), cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await response.Content.ReadAsStringAsync(cancellation), SpecJson.Options)!;
        foreach (var run in created.Runs)
        {
            await WaitForFinalAsync(client, run.Id);
        }

        return [.. created.Runs.Select(run => run.Id)];
    }

    /// <summary>Polls the run through the API until it is no longer queued or running, for at most 60 s.</summary>
    public static async Task WaitForFinalAsync(HttpClient client, string runId)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var details = JsonSerializer.Deserialize<RunDetails>(
                await client.GetStringAsync($"/api/runs/{runId}", cancellation), SpecJson.Options)!;
            if (details.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in 60 s.");
            await Task.Delay(100, cancellation);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm", _databasePath + ".lock" })
        {
            File.Delete(file);
        }
    }
}
