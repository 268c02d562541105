using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Services;

/// <summary>The experiment page's read of all its runs with their epochs, on the host's SQLite database.</summary>
public sealed class ExperimentRunsReadTests : IAsyncDisposable
{
    private readonly RandomFitHostFactory _host = new();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetExperimentRuns_OneExperimentOrdered()
    {
        var factory = _host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await StoredRuns.AddAsync(factory, "exp-a", ["run-a0", "run-a1", "run-a2"], RunStatus.Running, 9, storedEpochs: 5);
        await StoredRuns.AddAsync(factory, "exp-b", ["run-b0"], RunStatus.Completed, 2, storedEpochs: 2, sequence: 2);
        var runs = _host.GetService<IRunService>();

        var stored = await runs.GetExperimentRunsAsync("exp-a", Cancellation);

        Assert.Equal(["run-a0", "run-a1", "run-a2"], stored.Keys.Order());
        foreach (var (id, details) in stored)
        {
            Assert.Equal(id, details.Id);
            Assert.Equal("exp-a", details.ExperimentId);
            Assert.Equal([1, 2, 3, 4, 5], details.Epochs.Select(e => e.Epoch));
            Assert.Equal((await runs.GetAsync(id, Cancellation))!.Epochs, details.Epochs);
        }

        Assert.Equal([1, 2], (await runs.GetExperimentRunsAsync("exp-b", Cancellation))["run-b0"].Epochs.Select(e => e.Epoch));
        Assert.Empty(await runs.GetExperimentRunsAsync("exp-none", Cancellation));
    }
}
