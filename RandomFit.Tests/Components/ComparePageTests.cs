using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Compare;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

public sealed class ComparePageTests : ComponentTestBase
{
    private void StoreTwoExperiments()
    {
        Store(Experiments, Runs, "e1", Spec(learningRate: 0.001), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.7)));
        Store(Experiments, Runs, "e2", Spec(learningRate: 0.01), Run("b1", "e2", "cnn", 3, Epoch(1, 1.0)));
    }

    private IRenderedComponent<ComparePage> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<ComparePage>();
    }

    private static List<string> Cells(IRenderedComponent<ComparePage> page, string field) =>
        [.. page.Find($"tr[data-field='{field}']").QuerySelectorAll("td").Select(cell => cell.TextContent)];

    // The chart's lines of compared runs, one per run, leaving out the chance line of an accuracy chart.
    private static List<Plotly.Blazor.Traces.Scatter> RunLines(IRenderedComponent<ComparePage> page) =>
        [.. page.FindComponent<PlotlyChart>().Instance.Data.OfType<Plotly.Blazor.Traces.Scatter>()
            .Where(trace => trace.Name != ChanceLine.Name)];

    private static Plotly.Blazor.Traces.Scatter? FindChanceLine(IRenderedComponent<ComparePage> page) =>
        page.FindComponent<PlotlyChart>().Instance.Data.OfType<Plotly.Blazor.Traces.Scatter>()
            .SingleOrDefault(trace => trace.Name == ChanceLine.Name);

    // Point counts of the chart's lines, one line per compared run.
    private static List<int> PlottedPoints(IRenderedComponent<ComparePage> page) =>
        [.. RunLines(page).Select(trace => trace.X!.Count)];

    private static List<string?> LineNames(IRenderedComponent<ComparePage> page) =>
        [.. RunLines(page).Select(trace => trace.Name)];

    [Fact]
    public void Compare_FedEvents_UpdatesTableAndChart()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.7)) with { Status = RunStatus.Running },
            Run("a2", "e1", "mlp", 0) with { Status = RunStatus.Queued });
        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => Assert.Equal(["2 of 50", "0 of 50"], Cells(page, "epochs")));
        Assert.Equal([2, 0], PlottedPoints(page));

        Feed.Publish(new EpochEvent("a1", "e1", Epoch(3, 1.0)));
        Feed.Publish(new StatusEvent("a1", "e1", RunStatus.Completed, null));
        Feed.Publish(new StatusEvent("a2", "e1", RunStatus.Running, null));
        Feed.Publish(new EpochEvent("a2", "e1", Epoch(1, 0.6)));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(["completed", "running"], Cells(page, "status")));
        Assert.Equal(["3 of 50", "1 of 50"], Cells(page, "epochs"));
        Assert.Equal(["100.0%", "60.0%"], Cells(page, "train accuracy, last epoch"));
        Assert.Equal(["3", "not yet"], Cells(page, "epochs to 100% train"));
        Assert.Equal([3, 1], PlottedPoints(page));
    }

    // A chart created afresh for each update is blank until Plotly draws it again and loses the reader's zoom.
    [Fact]
    public void Compare_LiveEpoch_RedrawsSameChart()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)) with { Status = RunStatus.Running },
            Run("a2", "e1", "mlp", 0, Epoch(1, 0.9)));
        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => Assert.Equal([1, 1], PlottedPoints(page)));
        var before = page.FindComponent<PlotlyChart>().Instance;

        Feed.Publish(new EpochEvent("a1", "e1", Epoch(2, 0.6)));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal([2, 1], PlottedPoints(page)));
        Assert.Same(before, page.FindComponent<PlotlyChart>().Instance);
        Assert.Equal("compare", before.Layout.UiRevision);
        page.WaitForAssertion(() => Assert.Contains(
            JSInterop.Invocations, invocation => invocation.Identifier.EndsWith("react", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compare_QueuedRunCancelled_ShowsCancelled()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("a2", "e1", "mlp", 0) with { Status = RunStatus.Queued });
        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => Assert.Equal(["completed", "queued"], Cells(page, "status")));

        Feed.Publish(new StatusEvent("a2", "e1", RunStatus.Cancelled, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(["completed", "cancelled"], Cells(page, "status")));
        Assert.Equal(["0 of 50"], Cells(page, "epochs").Skip(1));
    }

    [Fact]
    public void Compare_ResumedRun_DropsVoidEpochs()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6), Epoch(3, 0.7)) with { Status = RunStatus.Interrupted });
        var page = RenderAt("/compare?runs=a1");
        page.WaitForAssertion(() => Assert.Equal(["3 of 50"], Cells(page, "epochs")));

        Feed.Publish(new ResetEvent("a1", "e1", 2));
        Feed.Publish(new StatusEvent("a1", "e1", RunStatus.Running, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(["2 of 50"], Cells(page, "epochs")));
        Assert.Equal(["running"], Cells(page, "status"));
        Assert.Equal(["60.0%"], Cells(page, "train accuracy, last epoch"));
    }

    [Fact]
    public void Compare_EventsOfOtherRuns_LeavePageUnchanged()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)) with { Status = RunStatus.Running },
            Run("a2", "e1", "mlp", 0, Epoch(1, 0.5)) with { Status = RunStatus.Running });
        var page = RenderAt("/compare?runs=a1");
        page.WaitForAssertion(() => Assert.Equal(["1 of 50"], Cells(page, "epochs")));

        Feed.Publish(new EpochEvent("a2", "e1", Epoch(2, 0.9)));
        Feed.Publish(new StatusEvent("a2", "e1", RunStatus.Completed, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["1 of 50"], Cells(page, "epochs"));
        Assert.Equal(["running"], Cells(page, "status"));
    }

    [Fact]
    public void Compare_ExperimentDeleted_DropsItsRunsWithNotice()
    {
        StoreTwoExperiments();
        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.Equal(["1 of 50", "2 of 50"], Cells(page, "epochs").Order()));

        Feed.Publish(new ExperimentDeletedEvent("e1"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=compare-deleted]")));
        var notice = page.Find("[data-testid=compare-deleted]");
        Assert.Contains("These runs were deleted with their experiment", notice.TextContent);
        Assert.Contains("\"a1\"", notice.TextContent);
        Assert.Equal("/experiments", notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(["b1"], page.FindAll("[data-testid=compare-table] th[data-run]").Select(cell => cell.GetAttribute("data-run")));
        Assert.Equal(["1 of 50"], Cells(page, "epochs"));
        Assert.Equal([1], PlottedPoints(page));
    }

    [Fact]
    public void Compare_OtherExperimentDeleted_NoNotice()
    {
        StoreTwoExperiments();
        var page = RenderAt("/compare?runs=a1");
        page.WaitForAssertion(() => Assert.Equal(["2 of 50"], Cells(page, "epochs")));

        Feed.Publish(new ExperimentDeletedEvent("e2"));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(page.FindAll("[data-testid=compare-deleted]"));
        Assert.Equal(["2 of 50"], Cells(page, "epochs"));
    }

    [Fact]
    public async Task Compare_Disposed_Unsubscribes()
    {
        var counting = new CountingFeed(Feed);
        Services.AddSingleton<IRunEventsFeed>(counting);
        StoreTwoExperiments();
        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=compare-table] thead th[data-run]").Count));
        Assert.Equal(1, counting.Active);

        await DisposeComponentsAsync();
        Feed.Publish(new StatusEvent("a1", "e1", RunStatus.Failed, "late"));

        Assert.Equal(0, counting.Active);
        Assert.False(Renderer.UnhandledException.IsCompleted, "An event after the page closed reported a failure.");
    }

    // Counts the subscriptions that are still open on the wrapped feed.
    private sealed class CountingFeed(IRunEventsFeed inner) : IRunEventsFeed
    {
        private int _active;

        public int Active => Volatile.Read(ref _active);

        public IDisposable Subscribe(Action<RunEvent> handler)
        {
            Interlocked.Increment(ref _active);
            return new Counted(inner.Subscribe(handler), this);
        }

        public void Publish(RunEvent runEvent) => inner.Publish(runEvent);

        private sealed class Counted(IDisposable subscription, CountingFeed owner) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref owner._active);
                    subscription.Dispose();
                }
            }
        }
    }

    [Fact]
    public void Compare_SmallSpecNumbers_ReadCompact()
    {
        var small = Spec(learningRate: 1e-6);
        small = small with { Training = small.Training! with { WeightDecay = 2.5e-7 } };
        Store(Experiments, Runs, "e1", small, Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", Spec(learningRate: 0.001), Run("b1", "e2", "cnn", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));

        Assert.Equal(["1e-6", "0.001"], Cells(page, "training.learningRate"));
        Assert.Equal(["2.5e-7", "0"], Cells(page, "training.weightDecay"));
        Assert.Equal(["2.5e-7", "0"], Cells(page, "model.weightDecay"));
    }

    [Fact]
    public void Compare_RunsOfTwoExperiments_ListsDifferingSpecFields()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));
        var fields = page.FindAll("[data-testid=differing-field]").Select(row => row.GetAttribute("data-field")).ToList();
        var learningRate = page.Find("[data-testid=differing-field][data-field='training.learningRate']");

        Assert.Equal(["training.learningRate"], fields);
        Assert.Equal(["0.001", "0.01"], learningRate.QuerySelectorAll("td").Select(cell => cell.TextContent));
        Assert.Equal(["never", "1"], page.Find("tr[data-field='epochs to 100% train']").QuerySelectorAll("td")
            .Select(cell => cell.TextContent));
        Assert.Equal(["70.0%", "100.0%"], page.Find("tr[data-field='train accuracy, last epoch']").QuerySelectorAll("td")
            .Select(cell => cell.TextContent));
    }

    [Fact]
    public void Compare_TwoRuns_ShowsParametersAndEpochs()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.7)) with { ParameterCount = 53_578 });
        Store(Experiments, Runs, "e2", Spec(), Run("b1", "e2", "mlp", 0, Epoch(1, 1.0)) with { ParameterCount = 199_434 });

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("tr[data-field='parameters']")));

        Assert.Equal(["53,578", "199,434"], page.Find("tr[data-field='parameters']").QuerySelectorAll("td")
            .Select(cell => cell.TextContent));
        Assert.Equal(["2 of 50", "1 of 50"], page.Find("tr[data-field='epochs']").QuerySelectorAll("td")
            .Select(cell => cell.TextContent));
    }

    [Fact]
    public void Compare_ExperimentRow_LinksNameOfEach()
    {
        Store(Experiments, Runs, "e1", Spec() with { Name = "lr sweep" }, Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", Spec() with { Name = "width sweep" }, Run("b1", "e2", "cnn", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.Find("tr[data-field='experiment']"));
        var links = page.FindAll("tr[data-field='experiment'] td a");

        Assert.Equal(["lr sweep", "width sweep"], links.Select(link => link.TextContent));
        Assert.Equal(["/experiments/e1", "/experiments/e2"], links.Select(link => link.GetAttribute("href")));
    }

    [Fact]
    public void Compare_LongConvValue_WrapsInScrollingTable()
    {
        var wide = Spec() with
        {
            Models =
            [
                new ModelSpec
                {
                    Name = "cnn",
                    Kind = ModelKind.Cnn,
                    Conv = [.. Enumerable.Range(0, 6).Select(_ => new ConvSpec { Filters = 512, Kernel = 5, Padding = Padding.Same })],
                },
            ],
        };
        Store(Experiments, Runs, "e1", Spec(), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", wide, Run("b1", "e2", "cnn", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.Find("[data-testid=differing-field][data-field='model.conv']"));
        var cells = page.FindAll("[data-testid=differing-field][data-field='model.conv'] td");

        Assert.NotNull(page.Find("[data-testid=compare-table-scroll] [data-testid=compare-table]"));
        Assert.Contains("rf-table-scroll", page.Find("[data-testid=compare-table-scroll]").ClassList);
        Assert.All(cells, cell => Assert.Contains("rf-wrap-value", cell.ClassList));
    }

    [Fact]
    public void Compare_AbsentAndEmptyLists_NotDiffering()
    {
        var withoutLists = Spec() with
        {
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64] }],
        };
        var withEmptyLists = Spec(learningRate: 0.01) with
        {
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64], Conv = [], Dense = [] }],
        };
        Store(Experiments, Runs, "e1", withoutLists, Run("a1", "e1", "mlp", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", withEmptyLists, Run("b1", "e2", "mlp", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));
        var fields = page.FindAll("[data-testid=differing-field]").Select(row => row.GetAttribute("data-field")).ToList();

        Assert.Equal(["training.learningRate"], fields);
    }

    [Fact]
    public void Compare_ModelWeightDecayLeftOut_EqualsTrainingValue()
    {
        var inherited = Spec() with
        {
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64] }],
            Training = Spec().Training! with { WeightDecay = 0.001 },
        };
        var explicitValue = Spec(learningRate: 0.01) with
        {
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64], WeightDecay = 0.001 }],
            Training = Spec(learningRate: 0.01).Training! with { WeightDecay = 0.001 },
        };
        Store(Experiments, Runs, "e1", inherited, Run("a1", "e1", "mlp", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", explicitValue, Run("b1", "e2", "mlp", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));
        var fields = page.FindAll("[data-testid=differing-field]").Select(row => row.GetAttribute("data-field")).ToList();

        Assert.Equal(["training.learningRate"], fields);
    }

    [Fact]
    public void Compare_AbsentList_ShowsAsEmpty()
    {
        var withoutDense = Spec() with
        {
            Models = [new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 8, Kernel = 3 }] }],
        };
        var withDense = Spec() with
        {
            Models =
            [
                new ModelSpec { Name = "cnn", Kind = ModelKind.Cnn, Conv = [new ConvSpec { Filters = 8, Kernel = 3 }], Dense = [16] },
            ],
        };
        Store(Experiments, Runs, "e1", withoutDense, Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", withDense, Run("b1", "e2", "cnn", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));
        var dense = page.Find("[data-testid=differing-field][data-field='model.dense']");

        Assert.Single(page.FindAll("[data-testid=differing-field]"));
        Assert.Equal(["[]", "[16]"], dense.QuerySelectorAll("td").Select(cell => cell.TextContent));
    }

    [Fact]
    public void Compare_UnknownAndMalformedIds_NamesThem()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,zzz,bad!id");
        page.WaitForAssertion(() => page.Find("[data-testid=compare-problem]"));
        var message = page.Find("[data-testid=compare-problem]").TextContent;

        Assert.Contains("\"zzz\"", message);
        Assert.Contains("\"bad!id\"", message);
        Assert.Single(page.FindAll("[data-testid=compare-table] thead th[data-run]"));
    }

    [Fact]
    public void Compare_OnlyUnknownIds_SaysNoneShown()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=x,y");
        page.WaitForAssertion(() => page.Find("[data-testid=compare-problem]"));

        Assert.Equal(
            "No run has these ids: \"x\", \"y\". No run can be shown.",
            page.Find("[data-testid=compare-problem]").TextContent.Trim());
    }

    [Fact]
    public void Compare_InvalidMetricAndAxis_NamesBoth()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1&metric=accuracy&x=steps");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored metric 'accuracy': use one of trainAccuracy, testAccuracy, trainLoss, testLoss.",
                "Ignored x 'steps': use one of epoch, seconds.",
            ],
            lines);
        Assert.Equal("trainAccuracy", page.Find("[data-testid=selected-metric]").TextContent);
    }

    [Fact]
    public void Compare_UnknownRunBadView()
    {
        var page = RenderAt("/compare?runs=zzz&metric=bogus&smooth=2");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored metric 'bogus': use one of trainAccuracy, testAccuracy, trainLoss, testLoss.",
                "Ignored smooth '2': use a number from 0 to 0.99.",
            ],
            lines);
        Assert.Empty(page.FindAll("[data-testid=compare-table]"));
    }

    [Fact]
    public void Compare_RepeatedRunsParameter_NamesIgnoredValues()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1&runs=b1,zzz&metric=trainLoss");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored repeated runs 'b1,zzz': list every run id in one runs parameter, separated by commas "
                + "(runs=a1,b1,zzz).",
            ],
            lines);
        Assert.Equal(["a1"], page.FindAll("[data-testid=compare-table] thead th[data-run]")
            .Select(cell => cell.GetAttribute("data-run")));
        Assert.Empty(page.FindAll("[data-testid=compare-problem]"));
    }

    [Fact]
    public void Compare_RepeatedMetric_NamesAndDropsIt()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1&metric=trainLoss&metric=testLoss");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(["Ignored metric 'trainLoss', 'testLoss': use one metric value, not 2."], lines);
        Assert.Equal("trainAccuracy", page.Find("[data-testid=selected-metric]").TextContent);
    }

    [Fact]
    public void Compare_LongRepeatedRunsParameter_ShortenedInNotice()
    {
        StoreTwoExperiments();
        var longValue = new string('z', 100);

        var page = RenderAt($"/compare?runs=a1&runs={longValue}");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));

        Assert.Equal(
            $"Ignored repeated runs '{longValue[..64]}…' (100 characters): list every run id in one runs parameter, "
                + $"separated by commas (runs=a1,{longValue}).",
            page.Find("[data-testid=query-problem]").TextContent);
    }

    [Fact]
    public void CompareChart_ZeroLoss_NamedBelowChart()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 1.0) with { TrainLoss = 0 }));
        Store(Experiments, Runs, "e2", Spec(), Run("b1", "e2", "cnn", 3, Epoch(1, 1.0)));

        var page = RenderAt("/compare?runs=a1,b1&metric=trainLoss");
        page.WaitForAssertion(() => page.Find("[data-testid=zero-loss-note]"));
        var names = RunLines(page).Select(line => line.Name).ToList();

        Assert.Equal(
            $"A logarithmic axis cannot draw a loss of 0, so the chart leaves out {names[0]} at epoch 2.",
            page.Find("[data-testid=zero-loss-note]").TextContent);
    }

    [Fact]
    public void Compare_DuplicateRunId_NamesIt()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1,a1,b1,a1");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(["Ignored repeated run ids 'a1', 'b1' in runs: each run is shown once."], lines);
        Assert.Equal(["a1", "b1"], page.FindAll("[data-testid=compare-table] thead th[data-run]")
            .Select(cell => cell.GetAttribute("data-run")));
        Assert.Empty(page.FindAll("[data-testid=compare-problem]"));
    }

    [Fact]
    public void Compare_DuplicateMalformedId_NamedOnceAsMalformed()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,bad!id,bad!id");
        page.WaitForAssertion(() => page.Find("[data-testid=compare-problem]"));

        Assert.Equal(
            "These run ids are malformed (ids are 1 to 64 letters, digits, '-' and '_'): \"bad!id\". The other runs are shown.",
            page.Find("[data-testid=compare-problem]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Theory]
    [InlineData("group=none", "Ignored group 'none': the compare page draws one line per run and has no grouping.")]
    [InlineData("group=seed-cohort&group=x",
        "Ignored group 'seed-cohort', 'x': the compare page draws one line per run and has no grouping.")]
    public void Compare_GroupParameter_NamedAsIgnored(string query, string expected)
    {
        StoreTwoExperiments();

        var page = RenderAt($"/compare?runs=a1,b1&{query}");
        page.WaitForAssertion(() => page.Find("[data-testid=query-notice]"));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal([expected], lines);
        Assert.Equal(2, PlottedPoints(page).Count);
    }

    [Fact]
    public async Task Compare_ViewChanged_LinkHasNoGroup()
    {
        StoreTwoExperiments();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderAt("/compare?runs=a1,b1&group=none");
        page.WaitForAssertion(() => page.FindComponent<CurveViewPicker>());
        var picker = page.FindComponent<CurveViewPicker>();

        await page.InvokeAsync(() => picker.Instance.ViewChanged.InvokeAsync(picker.Instance.View with { Metric = "trainLoss" }));

        Assert.Equal("http://localhost/compare?runs=a1,b1&metric=trainLoss&x=epoch&smooth=0", navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal("trainLoss", page.Find("[data-testid=selected-metric]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Fact]
    public void Compare_SingleRunsParameter_NoQueryNotice()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=compare-table] thead th[data-run]").Count));

        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Theory]
    [InlineData(RunStatus.Queued, "not yet")]
    [InlineData(RunStatus.Running, "not yet")]
    [InlineData(RunStatus.Completed, "never")]
    [InlineData(RunStatus.Failed, "not yet")]
    [InlineData(RunStatus.Cancelled, "not yet")]
    [InlineData(RunStatus.Interrupted, "not yet")]
    public void Compare_RunWithoutFit_FitTextFollowsStatus(RunStatus status, string expected)
    {
        var run = Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.7)) with { Status = status };
        Store(Experiments, Runs, "e1", Spec(), run, Run("a2", "e1", "cnn", 1, Epoch(1, 1.0)) with { Status = status });

        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => page.Find("tr[data-field='epochs to 100% train']"));

        Assert.Equal([expected, "1"], page.Find("tr[data-field='epochs to 100% train']").QuerySelectorAll("td")
            .Select(cell => cell.TextContent));
    }

    [Theory]
    [InlineData("trainAccuracy", "epoch", "Train accuracy", "Epoch")]
    [InlineData("testLoss", "seconds", "Test loss", "Seconds")]
    public void CompareChart_AxisTitles_AreReadable(string metric, string x, string expectedY, string expectedX)
    {
        StoreTwoExperiments();

        var page = RenderAt($"/compare?runs=a1,b1&metric={metric}&x={x}");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var layout = page.FindComponent<PlotlyChart>().Instance.Layout;

        Assert.Equal(expectedX, layout.XAxis[0].Title.Text);
        Assert.Equal(expectedY, layout.YAxis[0].Title.Text);
    }

    [Fact]
    public void CompareChart_LossAxis()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1&metric=trainLoss");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var axis = page.FindComponent<PlotlyChart>().Instance.Layout.YAxis[0];

        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, axis.Type);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.MinorLogLabelsEnum.Complete, axis.MinorLogLabels);
    }

    [Fact]
    public void CompareChart_DistinctRunNames()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Equal(["cnn seed 0", "cnn seed 3"], LineNames(page));
    }

    [Fact]
    public void CompareChart_SameModelAndSeed()
    {
        Store(Experiments, Runs, "e1", Spec() with { Name = "adam 1e-3" }, Run("k3f9x0abcd", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", Spec() with { Name = "adam 1e-2" }, Run("k3f9y1efgh", "e2", "cnn", 0, Epoch(1, 0.6)));
        Store(Experiments, Runs, "e3", Spec() with { Name = "other" }, Run("m0", "e3", "mlp", 0, Epoch(1, 0.7)));

        var page = RenderAt("/compare?runs=k3f9x0abcd,k3f9y1efgh,m0");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Equal(["cnn seed 0 · adam 1e-3", "cnn seed 0 · adam 1e-2", "mlp seed 0"], LineNames(page));
    }

    [Fact]
    public void CompareChart_SameExperimentAndSeed()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("k3f9x0abcd", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("k3f9y1efgh", "e1", "cnn", 0, Epoch(1, 0.6)),
            Run("zz01abcdef", "e1", "cnn", 0, Epoch(1, 0.7)));

        var page = RenderAt("/compare?runs=k3f9x0abcd,k3f9y1efgh,zz01abcdef");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Equal(
            ["cnn seed 0 · cnn vs mlp · k3f9x", "cnn seed 0 · cnn vs mlp · k3f9y", "cnn seed 0 · cnn vs mlp · zz01"],
            LineNames(page));
    }

    [Fact]
    public void CompareChart_HoverLabels_ShowWholeNames()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Equal(-1, page.FindComponent<PlotlyChart>().Instance.Layout.HoverLabel.NameLength);
    }

    // Beside the plot, a legend of long run names left a 390 px wide screen a plot about 60 px wide.
    [Fact]
    public void CompareChart_Legend_BelowPlot()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var layout = page.FindComponent<PlotlyChart>().Instance.Layout;
        Assert.NotNull(layout.Legend);
        var legend = Assert.Single(layout.Legend);

        Assert.Equal(Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, legend.Orientation);
        Assert.Equal(Plotly.Blazor.LayoutLib.LegendLib.YRefEnum.Container, legend.YRef);
        Assert.Equal(0m, legend.Y);
        Assert.Equal(Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom, legend.YAnchor);
        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True, layout.XAxis[0].AutoMargin);
    }

    // Plotly's mode bar, shown while the pointer is over the chart, is about 25 px high and sits at the top right.
    [Fact]
    public void CompareChart_TopMargin_FitsModeBar()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var margin = page.FindComponent<PlotlyChart>().Instance.Layout.Margin;

        Assert.NotNull(margin);
        Assert.True(margin.T >= 40, $"The top margin is {margin.T} px, less than the mode bar needs.");
    }

    // On a narrow screen each run's legend entry takes a row of its own, so more runs need a taller chart.
    [Fact]
    public void CompareChart_MoreRuns_TallerChart()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("a2", "e1", "cnn", 1, Epoch(1, 0.6)),
            Run("a3", "e1", "cnn", 2, Epoch(1, 0.7)),
            Run("a4", "e1", "cnn", 3, Epoch(1, 0.8)));

        // The page follows the address, so the second navigation shows four runs on the same page.
        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => Assert.Equal(2, RunLines(page).Count));
        var twoRunsHeight = page.FindComponent<PlotlyChart>().Instance.Layout.Height;
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?runs=a1,a2,a3,a4");
        page.WaitForAssertion(() => Assert.Equal(4, RunLines(page).Count));
        var fourRunsHeight = page.FindComponent<PlotlyChart>().Instance.Layout.Height;

        Assert.True(fourRunsHeight > twoRunsHeight, $"Four runs got a chart {fourRunsHeight} px high, two runs {twoRunsHeight} px.");
    }

    [Fact]
    public void CompareChart_EarlyEpochs_WholeNumberTicks()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var axis = page.FindComponent<PlotlyChart>().Instance.Layout.XAxis[0];

        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Linear, axis.TickMode);
        Assert.Equal(1.0, Convert.ToDouble(axis.DTick, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CompareChart_AccuracySameClasses_DrawsChanceLine()
    {
        StoreTwoExperiments();

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());
        var chance = FindChanceLine(page);

        Assert.NotNull(chance);
        Assert.Equal([1.0, 2.0], chance.X!.Select(x => (double)x));
        Assert.Equal([0.5, 0.5], chance.Y!.Select(y => (double)y));
        Assert.Equal("dash", chance.Line.Dash);
        Assert.Equal(1m, chance.Line.Width);
        Assert.Equal("The dashed line marks chance, 1/2.", page.Find("[data-testid=chance-note]").TextContent);
    }

    // The run page draws the same line, so a run reads alike on both pages.
    [Fact]
    public void CompareChart_ChanceLine_MatchesRunPage()
    {
        Store(Experiments, Runs, "e1", Spec() with { Data = Spec().Data! with { Classes = 10 } },
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.7)));
        var comparePage = RenderAt("/compare?runs=a1");
        comparePage.WaitForAssertion(() => comparePage.FindComponent<PlotlyChart>());
        var runPage = Render<RandomFit.Web.Components.Pages.Runs.RunPage>(parameters => parameters.Add(page => page.Id, "a1"));
        runPage.WaitForAssertion(() => runPage.FindComponent<LearningCurves>());

        var onCompare = FindChanceLine(comparePage);
        var onRun = runPage.FindComponent<LearningCurves>().Instance.Traces.OfType<Plotly.Blazor.Traces.Scatter>()
            .Single(trace => trace.Name == ChanceLine.Name);

        Assert.NotNull(onCompare);
        Assert.Equal(onRun.Y!.Select(y => (double)y), onCompare.Y!.Select(y => (double)y));
        Assert.Equal(onRun.Line.Dash, onCompare.Line.Dash);
        Assert.Equal(onRun.Line.Width, onCompare.Line.Width);
        Assert.Equal(onRun.Mode, onCompare.Mode);
    }

    [Theory]
    [InlineData("trainLoss")]
    [InlineData("testLoss")]
    public void CompareChart_LossMetric_NoChanceLine(string metric)
    {
        StoreTwoExperiments();

        var page = RenderAt($"/compare?runs=a1,b1&metric={metric}");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Null(FindChanceLine(page));
        Assert.Empty(page.FindAll("[data-testid=chance-note]"));
    }

    [Fact]
    public void CompareChart_DifferentClasses_NoChanceLine()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", Spec() with { Data = Spec().Data! with { Classes = 10 } },
            Run("b1", "e2", "cnn", 0, Epoch(1, 0.3)));

        var page = RenderAt("/compare?runs=a1,b1&metric=testAccuracy");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Null(FindChanceLine(page));
        Assert.Equal(
            "No chance line is drawn, because the runs have different numbers of classes (2, 10).",
            page.Find("[data-testid=chance-note]").TextContent);
    }

    // A condition's classes replace the experiment's, so two runs of one experiment can differ in classes.
    [Fact]
    public void CompareChart_ConditionClasses_NoChanceLine()
    {
        var spec = Spec() with
        {
            Data = Spec().Data! with { Conditions = [new DataCondition { Name = "ten", Classes = 10 }] },
        };
        Store(Experiments, Runs, "e1", spec,
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("a2", "e1", "cnn", 0, Epoch(1, 0.3)) with { Condition = "ten" });

        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => page.FindComponent<PlotlyChart>());

        Assert.Null(FindChanceLine(page));
        Assert.Contains("different numbers of classes (2, 10)", page.Find("[data-testid=chance-note]").TextContent);
    }

    [Fact]
    public void CompareChart_RunsWithoutEpochs_ShowsTextInsteadOfPlot()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0) with { Status = RunStatus.Queued },
            Run("a2", "e1", "cnn", 1) with { Status = RunStatus.Queued });

        var page = RenderAt("/compare?runs=a1,a2");
        page.WaitForAssertion(() => page.Find("[data-testid=compare-chart]"));

        Assert.Equal("no epochs yet", page.Find("[data-testid=compare-chart] [data-testid=chart-empty]").TextContent);
        Assert.Empty(page.FindComponents<PlotlyChart>());
    }

    [Fact]
    public void Compare_NavigateToOtherRuns_UpdatesWithoutReload()
    {
        StoreTwoExperiments();
        var page = RenderAt("/compare?runs=a1");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=compare-table] thead th[data-run]")));

        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?runs=a1,b1&metric=trainLoss&x=seconds");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=compare-table] thead th[data-run]").Count));
        Assert.Equal("trainLoss", page.Find("[data-testid=selected-metric]").TextContent);
        Assert.Equal("seconds", page.Find("[data-testid=selected-x]").TextContent);
    }

    [Fact]
    public void Compare_FixedSeedsAndCorruptTest_Differ()
    {
        var plain = Spec();
        var fixedSeeds = Spec() with
        {
            Data = plain.Data! with { CorruptTest = true, File = "d1" },
            Training = plain.Training! with { DataSeed = 1, InitSeed = 2, OrderSeed = 3 },
        };
        Store(Experiments, Runs, "e1", plain, Run("a1", "e1", "mlp", 0, Epoch(1, 0.5)));
        Store(Experiments, Runs, "e2", fixedSeeds, Run("b1", "e2", "mlp", 0, Epoch(1, 0.5)));

        var page = RenderAt("/compare?runs=a1,b1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=differing-field]")));
        var fields = page.FindAll("[data-testid=differing-field]").Select(row => row.GetAttribute("data-field")).ToList();

        Assert.Equal(
            ["data.corruptTest", "data.file", "training.dataSeed", "training.initSeed", "training.orderSeed"],
            fields);
        Assert.Equal(["–", "3"], page.Find("[data-testid=differing-field][data-field='training.orderSeed']")
            .QuerySelectorAll("td").Select(cell => cell.TextContent));
    }

    [Fact]
    public void Compare_IdOverMaxLength_NamesLimit()
    {
        StoreTwoExperiments();
        var longId = new string('a', 65);

        var page = RenderAt($"/compare?runs=a1,{longId}");
        page.WaitForAssertion(() => page.Find("[data-testid=compare-problem]"));

        Assert.Equal(
            $"These run ids are malformed (ids are 1 to 64 letters, digits, '-' and '_'): \"{longId[..64]}…\" (65 characters). "
                + "The other runs are shown.",
            page.Find("[data-testid=compare-problem]").TextContent);
    }
}
