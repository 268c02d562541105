using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
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
    public void RunList_CancelledRun_ShowsEpochsDoneOfTotal()
    {
        Runs.Stored["stopped"] = TestRuns.Create("stopped", 7, totalEpochs: 20, status: RunStatus.Cancelled);
        Runs.Stored["queued"] = TestRuns.Create("queued", 0, totalEpochs: 20, status: RunStatus.Queued);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr[data-run]").Count));
        Assert.Equal("7/20", page.Find("tr[data-run=stopped] [data-testid=run-epochs]").TextContent);
        Assert.Equal("0/20", page.Find("tr[data-run=queued] [data-testid=run-epochs]").TextContent);
    }

    [Fact]
    public void RunList_FedEpochsAndStatus_UpdatesEpochs()
    {
        Runs.Stored["r1"] = TestRuns.Create("r1", 2, totalEpochs: 10, status: RunStatus.Running);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs");
        var page = Render<RunList>();
        page.WaitForAssertion(() => Assert.Equal("2/10", page.Find("tr[data-run=r1] [data-testid=run-epochs]").TextContent));

        Feed.Publish(new EpochEvent("r1", "e1", TestRuns.Epoch(3)));
        Feed.Publish(new EpochEvent("r1", "e1", TestRuns.Epoch(4)));
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Completed, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("tr[data-run=r1] [data-status]").GetAttribute("data-status")));
        Assert.Equal("4/10", page.Find("tr[data-run=r1] [data-testid=run-epochs]").TextContent);
    }

    [Fact]
    public void RunList_QueuedRunStarts_ShowsItsDevice()
    {
        Runs.Stored["r1"] = TestRuns.Create("r1", 0, totalEpochs: 10, status: RunStatus.Queued) with { Device = null };
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs");
        var page = Render<RunList>();
        page.WaitForAssertion(() => Assert.Equal("–", page.Find("tr[data-run=r1] [data-testid=run-device]").TextContent));

        // A worker stores its device on the run when it claims it, before the status event goes out.
        Runs.Stored["r1"] = Runs.Stored["r1"] with { Status = RunStatus.Running, Device = "cpu" };
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Running, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("running", page.Find("tr[data-run=r1] [data-status]").GetAttribute("data-status")));
        page.WaitForAssertion(() => Assert.Equal("cpu", page.Find("tr[data-run=r1] [data-testid=run-device]").TextContent));
    }

    [Theory]
    [InlineData("/experiments?model=mlp", "e2")]
    [InlineData("/experiments?seed=5", "e2")]
    [InlineData("/experiments?seed=0", "e1")]
    [InlineData("/experiments?experiment=e1", "e1")]
    [InlineData("/experiments?model=cnn&seed=0", "e1")]
    public void ExperimentList_RunFilterInQuery_ListsMatchingExperiment(string url, string expectedId)
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=experiment-list] tr[data-experiment]")));
        Assert.Equal(expectedId, page.Find("tr[data-experiment]").GetAttribute("data-experiment"));
        Assert.Empty(page.FindAll("[data-testid=query-problem]"));
    }

    [Fact]
    public void ExperimentList_RunFilters_ReachService()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?model=mlp&seed=5&experiment=e2");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.NotEmpty(Experiments.Queries));
        var query = Experiments.Queries[^1];
        Assert.Equal("mlp", query.Model);
        Assert.Equal(5, query.Seed);
        Assert.Equal("e2", query.Experiment);
    }

    [Fact]
    public void ExperimentList_InvalidStatus_ShowsNotice()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?status=bogus");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=experiment-list] tr[data-experiment]").Count));
        Assert.Equal(
            "Ignored status 'bogus': use one of queued, running, completed, failed, cancelled, interrupted.",
            page.Find("[data-testid=query-problem]").TextContent);
    }

    [Fact]
    public void RunList_InvalidStatus_ShowsNotice()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        Runs.Stored["busy"] = TestRuns.Create("busy", 2, status: RunStatus.Running);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?status=bogus");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=run-list] tr[data-run]").Count));
        Assert.Equal(
            "Ignored status 'bogus': use one of queued, running, completed, failed, cancelled, interrupted.",
            page.Find("[data-testid=query-problem]").TextContent);
    }

    [Fact]
    public void RunList_ConditionColumn_ShowsConditionOrDash()
    {
        Runs.Stored["swept"] = TestRuns.Create("swept", 5, status: RunStatus.Completed) with { Condition = "random-labels" };
        Runs.Stored["plain"] = TestRuns.Create("plain", 5, status: RunStatus.Completed);

        var page = Render<RunList>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=run-list] tr[data-run]").Count));
        var headers = page.FindAll("[data-testid=run-list] thead th").Select(header => header.TextContent).ToList();

        Assert.Equal("Condition", headers[4]);
        Assert.Equal("random-labels", page.Find("tr[data-run=swept] [data-testid=run-condition]").TextContent);
        Assert.Equal("–", page.Find("tr[data-run=plain] [data-testid=run-condition]").TextContent);
    }

    [Fact]
    public void RunList_InvalidSeedAndPage_ShowsBoth()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?seed=-1&page=abc");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=query-problem]").Count));
        var problems = page.FindAll("[data-testid=query-problem]").Select(problem => problem.TextContent).ToList();
        Assert.Equal("Ignored seed '-1': use a whole number from 0 to 2147483647.", problems[0]);
        Assert.Equal("Ignored page 'abc': use a whole number from 1 to 2147483647.", problems[1]);
        Assert.Single(page.FindAll("[data-testid=run-list] tr[data-run]"));
    }

    [Fact]
    public void RunList_SortAndPageSize_ReachService()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?sort=createdAt&pageSize=20");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.NotEmpty(Runs.Queries));
        var query = Runs.Queries[^1];
        Assert.False(query.Descending);
        Assert.Equal(20, query.PageSize);
        Assert.Empty(page.FindAll("[data-testid=query-problem]"));
    }

    [Fact]
    public void ExperimentList_SortAndPageSize_ReachService()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?sort=-createdAt&pageSize=500");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.NotEmpty(Experiments.Queries));
        var query = Experiments.Queries[^1];
        Assert.True(query.Descending);
        Assert.Equal(500, query.PageSize);
        Assert.Empty(page.FindAll("[data-testid=query-problem]"));
    }

    [Theory]
    [InlineData("sort=name", "Ignored sort 'name': use createdAt or -createdAt.")]
    [InlineData("pageSize=0", "Ignored pageSize '0': use a whole number from 1 to 500.")]
    [InlineData("pageSize=501", "Ignored pageSize '501': use a whole number from 1 to 500.")]
    [InlineData("pageSize=ten", "Ignored pageSize 'ten': use a whole number from 1 to 500.")]
    [InlineData("status=completed&status=running", "Ignored status 'completed', 'running': use one status value, not 2.")]
    [InlineData("pageSize=10&pageSize=20", "Ignored pageSize '10', '20': use one pageSize value, not 2.")]
    [InlineData("sort=createdAt&sort=createdAt", "Ignored sort 'createdAt', 'createdAt': use one sort value, not 2.")]
    [InlineData("model=a&model=b&model=c", "Ignored model 'a', 'b', 'c': use one model value, not 3.")]
    [InlineData("preset=nope", "Ignored preset 'nope': use one of article-example-1, article-example-2, article-example-3, cnn-vs-mlp, zhang-randomization, pooling-ablation, capacity-sweep.")]
    public void RunList_InvalidOrRepeatedParameter_ShowsNoticeAndDefault(string query, string problem)
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        Runs.Stored["busy"] = TestRuns.Create("busy", 2, status: RunStatus.Running);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/runs?{query}");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=run-list] tr[data-run]").Count));
        Assert.Equal(problem, page.Find("[data-testid=query-problem]").TextContent);
        var sent = Runs.Queries[^1];
        Assert.Null(sent.Status);
        Assert.Null(sent.Model);
        Assert.Null(sent.Preset);
        Assert.True(sent.Descending);
        Assert.Equal(ListQueryReader.DefaultPageSize, sent.PageSize);
    }

    [Fact]
    public void RunList_LongInvalidParameter_ShortenedInNotice()
    {
        var longValue = new string('s', 100);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/runs?status={longValue}");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=query-problem]"));
        Assert.Equal(
            $"Ignored status '{longValue[..64]}…' (100 characters): use one of queued, running, completed, failed, cancelled, interrupted.",
            page.Find("[data-testid=query-problem]").TextContent);
    }

    [Fact]
    public void ExperimentList_RepeatedSeed_ShowsNotice()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?seed=0&seed=5");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=experiment-list] tr[data-experiment]").Count));
        Assert.Equal(
            "Ignored seed '0', '5': use one seed value, not 2.",
            page.Find("[data-testid=query-problem]").TextContent);
        Assert.Null(Experiments.Queries[^1].Seed);
    }

    [Fact]
    public void ExperimentPage_UnknownId_ShowsExperimentNotFound()
    {
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "missing"));

        page.WaitForAssertion(() => Assert.Contains("Experiment not found", page.Find("[data-testid=not-found]").TextContent));
    }

    [Fact]
    public void ExperimentPage_SignInRequired_HidesAddSeeds()
    {
        UseSignIn("true");
        var run = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        Runs.Stored["r1"] = run;
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, run);
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));

        page.WaitForElement("[data-testid=sign-in-to-start]");

        Assert.Empty(page.FindAll("[data-testid=add-seeds]"));
        Assert.Empty(page.FindAll("[data-testid=add-seeds-input]"));
    }

    [Theory]
    [InlineData("5, 7", "Added 4 runs for seeds 5, 7.")]
    [InlineData("6-8", "Added 6 runs for seeds 6-8.")]
    [InlineData("3", "Added 2 runs for seed 3.")]
    public void ExperimentPage_AddSeeds_NamesRunsAndSeeds(string typed, string expected)
    {
        var cnn = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        var mlp = TestRuns.Create("r2", storedEpochs: 2, totalEpochs: 10) with { Model = "mlp" };
        Runs.Stored["r1"] = cnn;
        Runs.Stored["r2"] = mlp;
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, cnn, mlp);
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));

        page.WaitForElement("input[data-testid=add-seeds-input]").Change(typed);
        page.Find("[data-testid=add-seeds]").Click();

        var message = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal(expected, message.Message);
        Assert.Equal(Severity.Success, message.Severity);
    }

    [Theory]
    [InlineData(new[] { 0 }, "Add seeds (1, 2 or 1-5)")]
    [InlineData(new[] { 0, 6, 2 }, "Add seeds (7, 8 or 7-11)")]
    [InlineData(new[] { 2147483642 }, "Add seeds (2147483643, 2147483644 or 2147483643-2147483647)")]
    [InlineData(new[] { 2147483643 }, "Add seeds")]
    public void ExperimentPage_AddSeedsLabel_StartsAboveHighestSeed(int[] seeds, string expected)
    {
        var run = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        Runs.Stored["r1"] = run;
        var experiment = TestRuns.Experiment("e1", 2, run);
        Experiments.Stored["e1"] = experiment with { Spec = experiment.Spec with { Seeds = seeds } };
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));

        page.WaitForElement("input[data-testid=add-seeds-input]");

        var label = page.Find("[data-testid=add-seeds-input]").Closest(".mud-input-control")!.QuerySelector("label");
        Assert.Equal(expected, label!.TextContent);
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
    public void ExperimentPage_Deleted_ShowsNoticeWithoutActions()
    {
        var run = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        Runs.Stored["r1"] = run;
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, run);
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));
        page.WaitForAssertion(() => page.Find("[data-testid=add-seeds]"));

        Feed.Publish(new ExperimentDeletedEvent("e1"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Contains("Experiment deleted", page.Find("[data-testid=deleted]").TextContent));
        Assert.Contains("The experiment 'Random labels' was deleted with its runs.", page.Find("[data-testid=deleted]").TextContent);
        Assert.Equal("/experiments", page.Find("[data-testid=deleted] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=add-seeds]"));
        Assert.Empty(page.FindAll("[data-testid=experiment-runs]"));
    }

    [Fact]
    public void ExperimentPage_OtherExperimentDeleted_KeepsContent()
    {
        var run = TestRuns.Create("r1", storedEpochs: 2, totalEpochs: 10);
        Runs.Stored["r1"] = run;
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, run);
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));
        page.WaitForAssertion(() => page.Find("[data-testid=add-seeds]"));

        Feed.Publish(new ExperimentDeletedEvent("e2"));
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Completed, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("tr[data-run=r1] [data-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=deleted]"));
        Assert.Single(page.FindAll("[data-testid=add-seeds]"));
    }

    [Fact]
    public void ExperimentList_ExperimentDeleted_DropsRow()
    {
        StoreTwoExperiments();
        var page = Render<ExperimentList>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=experiment-list] tr[data-experiment]").Count));

        Experiments.Stored.Remove("e1");
        Feed.Publish(new ExperimentDeletedEvent("e1"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=experiment-list] tr[data-experiment=e1]")));
        Assert.Single(page.FindAll("[data-testid=experiment-list] tr[data-experiment=e2]"));
        Assert.Equal("1 in all", page.Find("[data-testid=list-total]").TextContent.Trim());
    }

    [Fact]
    public void Home_ExperimentDeleted_DropsRows()
    {
        StoreTwoExperiments();
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=running] tr[data-experiment=e1]")));
        Assert.Single(page.FindAll("[data-testid=recent] tr[data-experiment=e1]"));

        Experiments.Stored.Remove("e1");
        Feed.Publish(new ExperimentDeletedEvent("e1"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=running] tr[data-experiment=e1]")));
        Assert.Empty(page.FindAll("[data-testid=recent] tr[data-experiment=e1]"));
        Assert.Single(page.FindAll("[data-testid=queued] tr[data-experiment=e2]"));
        Assert.Single(page.FindAll("[data-testid=recent] tr[data-experiment=e2]"));
    }

    [Fact]
    public void RunList_ExperimentDeleted_DropsItsRuns()
    {
        StoreTwoExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs");
        var page = Render<RunList>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=run-list] tr[data-run]").Count));
        page.Find("tr[data-run=r1] [data-testid=select-run]").Change(true);
        page.Find("tr[data-run=r3] [data-testid=select-run]").Change(true);

        Runs.Stored.Remove("r1");
        Runs.Stored.Remove("r2");
        Feed.Publish(new ExperimentDeletedEvent("e1"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(["r3"], page.FindAll("[data-testid=run-list] tr[data-run]").Select(row => row.GetAttribute("data-run"))));
        Assert.Equal("1 in all", page.Find("[data-testid=list-total]").TextContent.Trim());

        // The deleted run r1 no longer counts as selected, so one selected run leaves Compare disabled.
        Assert.Contains("Compare (1)", page.Find("[data-testid=compare-button]").TextContent);
        Assert.True(page.Find("[data-testid=compare-button]").HasAttribute("disabled"));
    }

    // e1 has a running and a queued run, e2 one queued run, stored in both the run and the experiment service.
    private void StoreTwoExperiments()
    {
        var running = TestRuns.Create("r1", 2, status: RunStatus.Running);
        var waiting = TestRuns.Create("r2", 0, status: RunStatus.Queued);
        var other = TestRuns.Create("r3", 0, status: RunStatus.Queued, experimentId: "e2");
        foreach (var run in new[] { running, waiting, other })
        {
            Runs.Stored[run.Id] = run;
        }

        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, running, waiting);
        Experiments.Stored["e2"] = TestRuns.Experiment("e2", 2, other);
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

    [Fact]
    public void Home_RunningAndQueuedExperiment_ListedOnceAsRunning()
    {
        var running = TestRuns.Create("r1", 2, status: RunStatus.Running);
        var waiting = TestRuns.Create("r2", 0, status: RunStatus.Queued);
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, running, waiting);
        Experiments.Stored["e2"] = TestRuns.Experiment("e2", 2, TestRuns.Create("r3", 0, status: RunStatus.Queued, experimentId: "e2"));

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=running] tr[data-experiment=e1]")));
        Assert.Empty(page.FindAll("[data-testid=queued] tr[data-experiment=e1]"));
        Assert.Single(page.FindAll("[data-testid=queued] tr[data-experiment=e2]"));
    }

    [Fact]
    public void RunList_LongUnknownExperimentFilter_ShortenedInNotice()
    {
        var longId = new string('e', 100);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/runs?experiment={longId}");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=experiment-filter]"));
        var shown = $"'{longId[..64]}…' (100 characters)";
        Assert.Contains(
            $"Filtered by experiment {shown}, but no experiment has id {shown}.",
            page.Find("[data-testid=experiment-filter]").TextContent);
    }

    [Fact]
    public void RunList_UnknownExperimentFilter_SaysSoAndClears()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/runs?experiment=nosuch&model=cnn");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=experiment-filter]"));
        Assert.Contains("no experiment has id 'nosuch'", page.Find("[data-testid=experiment-filter]").TextContent);
        page.Find("[data-testid=clear-experiment-filter]").Click();
        Assert.EndsWith("/runs?model=cnn", navigation.Uri);
    }

    [Fact]
    public void RunList_KnownExperimentFilter_ShowsItsName()
    {
        StoreCnnAndMlpExperiments();
        Runs.Stored["cnn-run"] = TestRuns.Create("cnn-run", 0, status: RunStatus.Completed, experimentId: "e1");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?experiment=e1");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=experiment-filter]"));
        var notice = page.Find("[data-testid=experiment-filter]");
        Assert.Contains("Showing only runs of experiment Random labels (e1).", Collapse(notice.TextContent));
        Assert.Equal("/experiments/e1", notice.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void RunList_NoExperimentFilter_ShowsNoNotice()
    {
        Runs.Stored["done"] = TestRuns.Create("done", 5, status: RunStatus.Completed);

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-run]")));
        Assert.Empty(page.FindAll("[data-testid=experiment-filter]"));
        Assert.Empty(page.FindAll("[data-testid=past-last-page]"));
    }

    [Fact]
    public void RunList_PagePastEnd_LinksLastPage()
    {
        for (var i = 0; i < 21; i++)
        {
            Runs.Stored[$"r{i}"] = TestRuns.Create($"r{i}", 1, status: RunStatus.Completed);
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?page=999&pageSize=10&model=cnn");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=past-last-page]"));
        Assert.Contains("Page 999 is past the last page, page 3.", Collapse(page.Find("[data-testid=past-last-page]").TextContent));
        Assert.EndsWith("/runs?page=3&pageSize=10&model=cnn", page.Find("[data-testid=last-page-link]").GetAttribute("href"));
    }

    [Fact]
    public void RunList_PagePastEnd_OneMessageNoPager()
    {
        for (var i = 0; i < 21; i++)
        {
            Runs.Stored[$"r{i}"] = TestRuns.Create($"r{i}", 1, status: RunStatus.Completed);
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?page=99&pageSize=5");

        var page = Render<RunList>();

        page.WaitForAssertion(() => page.Find("[data-testid=past-last-page]"));
        Assert.Single(Regex.Matches(page.Markup, "past the last page"));
        Assert.Empty(page.FindAll("[data-testid=list-empty]"));
        Assert.Empty(page.FindAll(".mud-pagination"));
        Assert.Empty(page.FindAll("[aria-current=page], .mud-pagination-item-selected"));
    }

    [Fact]
    public void RunList_LastPage_ShowsPager()
    {
        for (var i = 0; i < 21; i++)
        {
            Runs.Stored[$"r{i}"] = TestRuns.Create($"r{i}", 1, status: RunStatus.Completed);
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs?page=5&pageSize=5");

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-run]")));
        Assert.Single(page.FindAll(".mud-pagination"));
        Assert.Empty(page.FindAll("[data-testid=past-last-page]"));
    }

    [Fact]
    public void ExperimentList_PagePastEnd_LinksFirstPage()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?page=999");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => page.Find("[data-testid=past-last-page]"));
        Assert.EndsWith("/experiments", page.Find("[data-testid=last-page-link]").GetAttribute("href"));
    }

    [Fact]
    public void ExperimentList_PagePastEnd_OneMessageNoPager()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?page=99&pageSize=1");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => page.Find("[data-testid=past-last-page]"));
        Assert.Single(Regex.Matches(page.Markup, "past the last page"));
        Assert.Empty(page.FindAll("[data-testid=experiment-list] tbody tr"));
        Assert.Empty(page.FindAll(".mud-pagination"));
    }

    [Fact]
    public void ExperimentList_UnknownExperimentFilter_SaysSo()
    {
        StoreCnnAndMlpExperiments();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments?experiment=nosuch");

        var page = Render<ExperimentList>();

        page.WaitForAssertion(() => page.Find("[data-testid=experiment-filter]"));
        Assert.Contains("no experiment has id 'nosuch'", page.Find("[data-testid=experiment-filter]").TextContent);
        Assert.Equal("No experiment matches these filters.", page.Find("[data-testid=experiment-list] tbody td").TextContent.Trim());
    }

    private static string Collapse(string text) => string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private void StoreCnnAndMlpExperiments()
    {
        var cnn = TestRuns.Create("cnn-run", 0, status: RunStatus.Completed, experimentId: "e1");
        var mlp = TestRuns.Create("mlp-run", 0, status: RunStatus.Completed, experimentId: "e2") with { Model = "mlp", Seed = 5 };
        Experiments.Stored["e1"] = TestRuns.Experiment("e1", 2, cnn);
        Experiments.Stored["e2"] = TestRuns.Experiment("e2", 2, mlp);
    }

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
