using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.New;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>
/// The new-experiment page creating experiments through the app's own service and SQLite database. The host is a
/// web node, so it stores and queues runs but trains none of them.
/// </summary>
public sealed class NewExperimentCreationTests : ComponentTestBase
{
    private readonly RandomFitHostFactory _host = new(settings: new Dictionary<string, string?> { ["RandomFit:Role"] = "web" });

    public NewExperimentCreationTests()
    {
        // Registered after the base class's in-memory service, so the page resolves this one.
        Services.AddSingleton(_host.GetService<IExperimentService>());
    }

    [Fact]
    public async Task NewExperiment_PresetWithConditions_CreatesCountedRuns()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments/new?preset=zhang-randomization");
        var page = Render<NewExperiment>();
        var countText = page.Find("[data-testid=run-count]").TextContent.Trim();

        page.Find("[data-testid=start]").Click();

        var experiment = await CreatedExperimentAsync();
        Assert.Equal("2 models × 7 conditions × 3 seeds = 42 runs", countText);
        Assert.Equal(42, experiment.Runs.Count);
        Assert.Equal(7, experiment.Runs.Select(run => run.Condition).Distinct().Count());
    }

    [Fact]
    public async Task NewExperiment_StackedExecution_RunsRecordStacked()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        page.Find("input[data-path='spec.seeds']").Change("0-2");
        var execution = page.FindComponent<SpecEnumSelect<ExecutionMode>>();
        await page.InvokeAsync(() => execution.Instance.ValueChanged.InvokeAsync(ExecutionMode.Stacked));

        page.Find("[data-testid=start]").Click();

        var experiment = await CreatedExperimentAsync();
        Assert.Equal(ExecutionMode.Stacked, experiment.Spec.Training!.Execution);
        Assert.Equal(3, experiment.Runs.Count);
        Assert.All(experiment.Runs, run => Assert.Equal(ExecutionMode.Stacked, run.Execution));
        using var client = _host.CreateClient();
        var spec = await client.GetStringAsync($"/api/experiments/{experiment.Id}/spec", Xunit.TestContext.Current.CancellationToken);
        Assert.Contains("\"execution\":\"stacked\"", spec.Replace(" ", "", StringComparison.Ordinal));
    }

    // The page opens the created experiment, so its id is the last segment of the address.
    private async Task<ExperimentDetails> CreatedExperimentAsync()
    {
        var uri = new Uri(Services.GetRequiredService<NavigationManager>().Uri);
        Assert.StartsWith("/experiments/", uri.AbsolutePath);
        var id = uri.Segments[^1];
        var experiment = await _host.GetService<IExperimentService>().GetAsync(id, Xunit.TestContext.Current.CancellationToken);
        Assert.NotNull(experiment);
        return experiment;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _host.Dispose();
    }
}
