using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments;
using RandomFit.Web.Components.Pages.Home;
using RandomFit.Web.Components.Pages.Runs;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Components;

public sealed class ListPageTests : ComponentTestBase
{
    [Fact]
    public void RunList_StatusInQuery_ListsOnlyThatStatus()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        Runs.Stored["busy"] = TestRuns.Create("busy", 2, status: RunStatus.Running);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?status=completed");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=run-list] tbody tr[data-run]")));
        Assert.Equal("done", page.Find("tr[data-run]").GetAttribute("data-run"));
        Assert.Equal("completed", page.Find("input.mud-select-input, .mud-select input").GetAttribute("value"));
    }

    [Fact]
    public void ExperimentPage_UnknownId_ShowsExperimentNotFound()
    {
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "missing"));

        page.WaitForAssertion(() => Assert.Contains("Experiment not found", page.Find("[data-testid=not-found]").TextContent));
    }

    [Fact]
    public void ExperimentPage_FedEpochAndStatus_UpdatesRunRow()
    {
        var run = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        Runs.Stored["r1"] = run;
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, run);
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));
        page.WaitForAssertion(() => Assert.Equal("2/10", page.Find("tr[data-run=r1] [data-testid=epochs-done]").TextContent));

        Feed.Publish(new EpochEvent("r1", "e1", TestRuns.Epoch(3)));
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Failed, "Loss became NaN at epoch 3."));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("3/10", page.Find("tr[data-run=r1] [data-testid=epochs-done]").TextContent));
        Assert.Equal("failed", page.Find("tr[data-run=r1] [data-status]").GetAttribute("data-status"));
    }

    [Fact]
    public void ExperimentList_CountsCancelledAndInterrupted()
    {
        StoreCancelledExperiment();

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=experiment-list] tr[data-experiment=e1]")));
        var counts = StatusCounts(page, "experiment-list", "e1");
        Assert.Equal("3", counts["Runs"]);
        Assert.Equal("2", counts["Cancelled"]);
        Assert.Equal("1", counts["Interrupted"]);
        Assert.Equal(3, StatusColumns.Sum(column => int.Parse(counts[column], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Home_CountsCancelledAndInterrupted()
    {
        StoreCancelledExperiment();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=recent] tr[data-experiment=e1]")));
        var counts = StatusCounts(page, "recent", "e1");
        Assert.Equal("2", counts["Cancelled"]);
        Assert.Equal("1", counts["Interrupted"]);
        Assert.Equal(3, StatusColumns.Sum(column => int.Parse(counts[column], CultureInfo.InvariantCulture)));
    }

    private static readonly string[] StatusColumns =
        ["Queued", "Running", "Completed", "Failed", "Cancelled", "Interrupted"];

    private void StoreCancelledExperiment()
    {
        var runs = new[]
        {
            TestRuns.Create("r1", 0, status: RunStatus.Cancelled),
            TestRuns.Create("r2", 0, status: RunStatus.Cancelled),
            TestRuns.Create("r3", 2, status: RunStatus.Interrupted),
        };
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, runs);
    }

    /// <summary>Maps each column header of an experiment table to the text of that column in one experiment's row.</summary>
    private static Dictionary<string, string> StatusCounts<TComponent>(
        IRenderedComponent<TComponent> page,
        string tableId,
        string experimentId)
        where TComponent : IComponent
    {
        var headers = page.FindAll($"[data-testid={tableId}] thead th").Select(th => th.TextContent.Trim()).ToList();
        var cells = page.FindAll($"[data-testid={tableId}] tr[data-experiment={experimentId}] td")
            .Select(td => td.TextContent.Trim())
            .ToList();
        Assert.Equal(headers.Count, cells.Count);
        return headers.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second);
    }
}
