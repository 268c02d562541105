using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Compare;
using RandomFit.Web.Components.Pages.Experiments;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>The real host, with its SQLite database and trainer, shared by the tests of one class.</summary>
public sealed class LivePagesHost : IAsyncDisposable
{
    public RandomFitHostFactory Host { get; } = new();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// Pages rendered with the real host's services and run-events feed, so they change as the host trains runs and
/// adds seeds. The render throttle runs on the system clock, because the events come from real training.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class LivePagesOnHostTests : ComponentTestBase, IClassFixture<LivePagesHost>
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(30);

    private readonly RandomFitHostFactory _host;

    public LivePagesOnHostTests(LivePagesHost fixture)
    {
        _host = fixture.Host;
        Services.AddSingleton(_host.GetService<IRunEventsFeed>());
        Services.AddSingleton(_host.GetService<IRunService>());
        Services.AddSingleton(_host.GetService<IExperimentService>());
        Services.AddSingleton(_host.GetService<IRunAdditions>());
        Services.AddSingleton(TimeProvider.System);
    }

    private static CancellationToken Cancellation => Xunit.TestContext.Current.CancellationToken;

    private IRenderedComponent<ExperimentPage> RenderExperiment(string id)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/experiments/{id}");
        return Render<ExperimentPage>(parameters => parameters.Add(page => page.Id, id));
    }

    // The value of the spec summary's Seeds fact, such as "0-1".
    private static string SeedsShown(IRenderedComponent<ExperimentPage> page) =>
        page.FindAll("[data-testid=spec-summary] > div")
            .Single(fact => fact.Children[0].TextContent.Trim() == "Seeds")
            .Children[1].TextContent.Trim();

    private static List<string> Cells(IRenderedComponent<ComparePage> page, string field) =>
        [.. page.Find($"tr[data-field='{field}']").QuerySelectorAll("td").Select(cell => cell.TextContent)];

    [Fact]
    public async Task ComparePage_RunsTrain_ShowsFinalEpochs()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3, seeds: [0, 1]));
        var ids = created.Runs.Select(run => run.Id).ToList();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/compare?runs={string.Join(',', ids)}");
        var page = Render<ComparePage>();
        page.WaitForAssertion(() => Assert.Equal(2, Cells(page, "status").Count), LiveTimeout);

        foreach (var id in ids)
        {
            await _host.WaitForFinalAsync(id);
        }

        page.WaitForAssertion(() => Assert.Equal(["completed", "completed"], Cells(page, "status")), LiveTimeout);
        page.WaitForAssertion(() => Assert.Equal(["3 of 3", "3 of 3"], Cells(page, "epochs")), LiveTimeout);
        Assert.All(Cells(page, "train accuracy, last epoch"), text => Assert.EndsWith("%", text));
    }

    [Fact]
    public async Task ExperimentPage_AddSeedsClicked_ShowsNewSeeds()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var page = RenderExperiment(created.Id);
        page.WaitForAssertion(() => Assert.Equal("0-1", SeedsShown(page)), LiveTimeout);

        // Training's events redraw the page. A redraw between finding the input and changing it left a stale event
        // handler on a loaded machine, so the test waits until both runs show completed.
        foreach (var run in created.Runs)
        {
            await _host.WaitForFinalAsync(run.Id);
        }

        page.WaitForAssertion(
            () => Assert.Equal(2, page.FindAll("tr[data-run]").Count(row => row.TextContent.Contains("completed"))),
            LiveTimeout);
        page.Find("input[data-testid=add-seeds-input]").Change("2, 3");
        page.Find("[data-testid=add-seeds]").Click();

        page.WaitForAssertion(() => Assert.Equal("0-3", SeedsShown(page)), LiveTimeout);
        var message = Assert.Single(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars);
        Assert.Equal("Added 2 runs for seeds 2-3.", message.Message);
    }

    [Fact]
    public async Task ExperimentPage_SeedsPosted_ShowsNewSeeds()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var page = RenderExperiment(created.Id);
        page.WaitForAssertion(() => Assert.Equal("0-1", SeedsShown(page)), LiveTimeout);

        using var client = _host.CreateClient();
        var response = await client.PostAsJsonAsync(
            $"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 5, 6 } }, Cancellation);
        response.EnsureSuccessStatusCode();

        // A reload reads the stored spec, which the request extended. The page opened before the request follows it too.
        var reloaded = RenderExperiment(created.Id);
        reloaded.WaitForAssertion(() => Assert.Equal("0-1, 5-6", SeedsShown(reloaded)), LiveTimeout);
        page.WaitForAssertion(() => Assert.Equal("0-1, 5-6", SeedsShown(page)), LiveTimeout);
    }

    [Fact]
    public async Task ExperimentPage_DeletedThroughApi_ShowsNotice()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var page = RenderExperiment(created.Id);
        page.WaitForAssertion(() => page.Find("[data-testid=experiment-runs]"), LiveTimeout);

        using var client = _host.CreateClient();
        var response = await client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);
        response.EnsureSuccessStatusCode();

        page.WaitForAssertion(() => Assert.Contains("Experiment deleted", page.Find("[data-testid=deleted]").TextContent), LiveTimeout);
        Assert.Empty(page.FindAll("[data-testid=experiment-runs]"));
    }

    [Fact]
    public async Task ExperimentPage_DeleteConfirmedWhileRunning()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000, seeds: [0, 1]));
        await _host.WaitForRunAsync(created.Runs[0].Id, run => run.Epochs.Count > 0);
        var page = RenderExperiment(created.Id);

        // Training redraws the page, which can leave a found button's handler stale, so each click is retried.
        page.WaitForAssertion(() => page.Find("[data-testid=delete]").Click(), LiveTimeout);
        Assert.Equal(
            "Delete this experiment, its 2 runs and their checkpoints? Running runs are cancelled first.",
            page.Find("[data-testid=delete-question]").TextContent.Trim());
        page.WaitForAssertion(() => page.Find("[data-testid=delete-confirm]").Click(), LiveTimeout);

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/experiments", navigation.Uri), LiveTimeout);
        using var client = _host.CreateClient();
        var experiment = await client.GetAsync($"/api/experiments/{created.Id}", Cancellation);
        var run = await client.GetAsync($"/api/runs/{created.Runs[0].Id}", Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, experiment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
    }

    [Fact]
    public async Task ExperimentPage_DeleteThenKeep()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        await _host.WaitForFinalAsync(created.Runs[0].Id);
        var page = RenderExperiment(created.Id);

        page.WaitForAssertion(() => page.Find("[data-testid=delete]").Click(), LiveTimeout);
        page.Find("[data-testid=delete-keep]").Click();

        Assert.Empty(page.FindAll("[data-testid=delete-question]"));
        Assert.Single(page.FindAll("[data-testid=delete]"));
        using var client = _host.CreateClient();
        var experiment = await client.GetAsync($"/api/experiments/{created.Id}", Cancellation);
        Assert.Equal(HttpStatusCode.OK, experiment.StatusCode);
    }
}
