using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Web;

public sealed class RunsHubContractTests
{
    [Fact]
    public void Contract_PathMethodsEventsAndErrors_MatchPublishedNames()
    {
        string[] actual =
        [
            RunsHubContract.Path,
            RunsHubContract.WatchRun,
            RunsHubContract.UnwatchRun,
            RunsHubContract.WatchExperiment,
            RunsHubContract.UnwatchExperiment,
            RunsHubContract.EpochEvent,
            RunsHubContract.StatusEvent,
            RunsHubContract.ResetEvent,
            RunsHubContract.RunNotFound,
            RunsHubContract.ExperimentNotFound,
        ];

        Assert.Equal(
            [
                "/hubs/runs", "WatchRun", "UnwatchRun", "WatchExperiment", "UnwatchExperiment",
                "epoch", "status", "reset", "Run not found.", "Experiment not found.",
            ],
            actual);
    }

    [Fact]
    public void RunsHub_PublicMethods_AreTheContractMethods()
    {
        var methods = typeof(RunsHub).GetMethods()
            .Where(m => m.DeclaringType == typeof(RunsHub) && !m.IsSpecialName && m.Name != "OnDisconnectedAsync")
            .Select(m => m.Name)
            .Order();

        Assert.Equal(
            [RunsHubContract.UnwatchExperiment, RunsHubContract.UnwatchRun, RunsHubContract.WatchExperiment, RunsHubContract.WatchRun],
            methods);
    }
}
