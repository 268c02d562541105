using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Api;

/// <summary>
/// The list endpoints on a database of 10,000 runs in 80 experiments. The timings go to the test output and are not
/// asserted, because shared test machines vary too much. The tests check totals and page contents instead.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ListScaleTests : HostTestBase
{
    private const int RunCount = 10_000;
    private const int ExperimentCount = 80;
    private const int RunsPerExperiment = RunCount / ExperimentCount;

    private static readonly DateTimeOffset TestStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RunStatus[] Statuses = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync();
    }

    [Fact]
    public async Task ListRuns_Page100Of10000_ReturnsSequences5050To5001()
    {
        var page = await TimedGetAsync<Paged<RunItem>>("/api/runs?page=100&pageSize=50");

        Assert.Equal(RunCount, page.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.Equal(RunId(5050), page.Items[0].Id);
        Assert.Equal(RunId(5001), page.Items[^1].Id);
    }

    [Fact]
    public async Task ListRuns_ModelAndStatusFilter_ReturnsEverySixthRun()
    {
        var page = await TimedGetAsync<Paged<RunItem>>("/api/runs?model=cnn&status=completed");

        // Run index i (sequence i + 1) is a cnn when i is even and completed when i is a multiple of 3, so every sixth run matches.
        Assert.Equal(1_667, page.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.Equal(RunId(9_997), page.Items[0].Id);
        Assert.All(page.Items, run => Assert.Equal("cnn", run.Model));
        Assert.All(page.Items, run => Assert.Equal(RunStatus.Completed, run.Status));
    }

    [Fact]
    public async Task ListExperiments_Page2Of80_ReturnsOldestThirty()
    {
        var page = await TimedGetAsync<Paged<ExperimentItem>>("/api/experiments?page=2");

        Assert.Equal(ExperimentCount, page.Total);
        Assert.Equal(30, page.Items.Count);
        Assert.Equal(ExperimentId(30), page.Items[0].Id);
        Assert.Equal(ExperimentId(1), page.Items[^1].Id);
        Assert.All(page.Items, experiment => Assert.Equal(RunsPerExperiment, experiment.RunCount));
    }

    // The first request pays for query compilation, so both it and a second one are reported.
    private async Task<T> TimedGetAsync<T>(string url)
    {
        var cold = Stopwatch.StartNew();
        await Client.GetFromJsonAsync<T>(url, SpecJson.Options, Cancellation);
        cold.Stop();

        var warm = Stopwatch.StartNew();
        var body = await Client.GetFromJsonAsync<T>(url, SpecJson.Options, Cancellation);
        warm.Stop();

        var line = $"GET {url}: first {cold.ElapsedMilliseconds} ms, second {warm.ElapsedMilliseconds} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
        return body!;
    }

    // Stores runs with final statuses only, so the host's scheduler has nothing to train.
    private async Task SeedAsync()
    {
        var factory = Host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Cancellation);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        for (var e = 0; e < ExperimentCount; e++)
        {
            var experiment = new ExperimentEntity
            {
                Id = ExperimentId(e + 1),
                Name = $"Scale {e + 1}",
                CreatedAt = TestStart.AddMinutes(e),
                Sequence = e + 1,
                SpecJson = "{}",
            };
            db.Experiments.Add(experiment);
            for (var r = 0; r < RunsPerExperiment; r++)
            {
                var index = e * RunsPerExperiment + r;
                db.Runs.Add(new RunEntity
                {
                    Id = RunId(index + 1),
                    ExperimentId = experiment.Id,
                    Model = index % 2 == 0 ? "cnn" : "mlp",
                    Seed = r,
                    Status = Statuses[index % Statuses.Length],
                    TotalEpochs = 10,
                    CreatedAt = experiment.CreatedAt,
                    Sequence = index + 1,
                });
            }
        }

        await db.SaveChangesAsync(Cancellation);
    }

    // Ten characters, the length of generated ids, and sortable by sequence.
    private static string RunId(int sequence) => $"r{sequence:D9}";

    private static string ExperimentId(int sequence) => $"e{sequence:D9}";
}
