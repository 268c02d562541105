using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Browser;

/// <summary>
/// Training belongs to the server: a run goes on after its tab closes and its circuit is dropped, and a tab opened
/// later shows the whole curve from the store and then goes on live.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class RunPageLifetimeBrowserTests
{
    [Fact]
    public async Task RunPage_TabClosedAndCircuitDropped_RunGoesOnAndNewTabShowsWholeCurve()
    {
        DebianChromium.SkipUnlessInstalled();

        var ct = TestContext.Current.CancellationToken;
        var log = new ErrorLog();
        var circuits = new ClosedCircuits();
        await using var host = new BrowserHost(builder => builder.ConfigureServices(services =>
        {
            // Seconds instead of the default minutes, so the closed tab's circuit is really dropped in the test.
            services.Configure<CircuitOptions>(options => options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(1));
            services.AddSingleton<ILoggerProvider>(log);
            services.AddSingleton<CircuitHandler>(circuits);
        }));
        host.StartServer();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var created = await StartLongRunAsync(client, ct);
        var runId = created.Runs[0].Id;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var firstTab = await browser.NewPageAsync();
        firstTab.SetDefaultTimeout(30_000);
        await firstTab.GotoAsync(new Uri(host.BaseAddress, $"/runs/{runId}").ToString());

        // The prerendered page can already show three epochs, and a tab closed before its circuit opens drops none.
        await DebianChromium.WaitUntilInteractiveAsync(firstTab);
        var seenBeforeClose = await WaitForEpochCountAsync(firstTab, atLeast: 3);
        await firstTab.CloseAsync();

        // Stored epochs written after the first tab's circuit is gone show that the run trains on without it.
        await circuits.FirstClosed.WaitAsync(TimeSpan.FromMinutes(1), ct);
        var atClose = await client.GetFromJsonAsync<RunDetails>($"/api/runs/{runId}", SpecJson.Options, ct);
        var stored = await WaitForStoredEpochsAsync(client, runId, atLeast: Math.Max(atClose!.Epochs.Count, seenBeforeClose) + 1, ct);
        var secondTab = await (await browser.NewContextAsync()).NewPageAsync();
        secondTab.SetDefaultTimeout(30_000);
        await secondTab.GotoAsync(new Uri(host.BaseAddress, $"/runs/{runId}").ToString());
        var shownOnOpen = await WaitForEpochCountAsync(secondTab, atLeast: stored.Epochs.Count);
        var shownLater = await WaitForEpochCountAsync(secondTab, atLeast: shownOnOpen + 5);
        await client.PostAsync($"/api/runs/{runId}/cancel", null, ct);

        Assert.True(stored.Epochs.Count > seenBeforeClose, $"Training stopped with the tab: {stored.Epochs.Count} epochs.");
        Assert.Equal(RunStatus.Running, stored.Status);
        Assert.True(shownLater > shownOnOpen, "The reopened tab did not go on live.");
        Assert.Equal(1, host.Services.GetRequiredService<RunScheduler>().JobsStarted);
        Assert.True(log.Errors.IsEmpty, string.Join("\n", log.Errors));
    }

    private static async Task<ExperimentCreated> StartLongRunAsync(HttpClient client, CancellationToken ct)
    {
        var body = new
        {
            spec = new
            {
                name = "outlives the tab",
                data = new { shape = new { channels = 3, height = 8, width = 8 }, trainSamples = 64, classes = 10, inputs = "normal" },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 32 } } },
                training = new { epochs = 100_000, batchSize = 64 },
                seeds = new[] { 1 },
            },
        };
        var response = await client.PostAsJsonAsync("/api/experiments", body, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ExperimentCreated>(SpecJson.Options, ct))!;
    }

    private static async Task<RunDetails> WaitForStoredEpochsAsync(HttpClient client, string runId, int atLeast, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var run = (await client.GetFromJsonAsync<RunDetails>($"/api/runs/{runId}", SpecJson.Options, ct))!;
            if (run.Epochs.Count >= atLeast)
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Training stopped with the tab: {run.Epochs.Count} epochs stored, expected {atLeast}.");
            await Task.Delay(100, ct);
        }
    }

    private static async Task<int> WaitForEpochCountAsync(IPage page, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            var text = await page.TextContentAsync("[data-testid=epoch-count]") ?? "";
            var match = EpochCount().Match(text);
            count = match.Success
                ? int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
                : 0;
            if (count >= atLeast)
            {
                return count;
            }

            await page.WaitForTimeoutAsync(100);
        }

        Assert.Fail($"The run page showed {count} epochs, expected at least {atLeast}.");
        return count;
    }

    [GeneratedRegex(@"([\d,]+) epochs")]
    private static partial Regex EpochCount();

    /// <summary>Completes <see cref="FirstClosed"/> when the host drops its first circuit.</summary>
    private sealed class ClosedCircuits : CircuitHandler
    {
        private readonly TaskCompletionSource _firstClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstClosed => _firstClosed.Task;

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            _firstClosed.TrySetResult();
            return Task.CompletedTask;
        }
    }

    /// <summary>Collects errors and disposed-object or dispatcher exceptions logged by the host.</summary>
    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _errors = new();

        public ConcurrentQueue<string> Errors => _errors;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var isDisposedOrDispatcher = exception is ObjectDisposedException
                || exception?.Message.Contains("Dispatcher", StringComparison.OrdinalIgnoreCase) == true;
            if (logLevel >= LogLevel.Error || isDisposedOrDispatcher)
            {
                _errors.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
            }
        }

        public void Dispose()
        {
        }
    }
}
