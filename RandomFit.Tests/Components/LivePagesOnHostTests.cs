using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Compare;
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
/// Pages rendered with the real host's services and run-events feed, so they change as the host trains runs. The
/// render throttle runs on the system clock, because the events come from real training.
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

    private static List<string> Cells(IRenderedComponent<ComparePage> page, string field) =>
        [.. page.Find($"tr[data-field='{field}']").QuerySelectorAll("td").Select(cell => cell.TextContent)];

    [Fact]
    public async Task ComparePage_RunsTrain_ShowsFinalEpochs()
    {
        var created = await _host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3, seeds: [0, 1]));
        var ids = created.Runs.Select(run => run.Id).ToList();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/compare?runs={string.Join(',', ids)}");
        var page = Render<ComparePage>();
        page.WaitForAssertion(() => Assert.Equal(2, Cells(page, "status").Count));

        foreach (var id in ids)
        {
            await _host.WaitForFinalAsync(id);
        }

        page.WaitForAssertion(() => Assert.Equal(["completed", "completed"], Cells(page, "status")), LiveTimeout);
        page.WaitForAssertion(() => Assert.Equal(["3 of 3", "3 of 3"], Cells(page, "epochs")), LiveTimeout);
        Assert.All(Cells(page, "final train accuracy"), text => Assert.EndsWith("%", text));
    }
}
