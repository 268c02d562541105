using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;
using Plotly.Blazor.Traces;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Runs;
using RandomFit.Web.Services;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Components;

public sealed class RunPageTests : ComponentTestBase
{
    [Fact]
    public void RunPage_LongRun_ProgressHasThousandsSeparators()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1407, totalEpochs: 30000));

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Equal("epoch 1,407/30,000", page.Find("[data-testid=progress-text]").TextContent.Trim()));
    }

    [Fact]
    public void RunPage_StoredThenFedEpochs_ShowsAllFive()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3, totalEpochs: 10));
        var page = RenderRun("r1");

        PublishEpochs("r1", 3, 5);
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=epoch-table] tbody tr").Count));
        Assert.Equal("epoch 5/10", page.Find("[data-testid=progress-text]").TextContent.Trim());
        Assert.All(PlottedSeries(page), count => Assert.Equal(5, count));
    }

    [Theory]
    [InlineData(ExecutionMode.Stacked, "stacked")]
    [InlineData(ExecutionMode.Separate, "separate")]
    public void RunPage_ExecutionMode_ShownInHeader(ExecutionMode execution, string expected)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1) with { Execution = execution });
        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.EndsWith(expected, page.Find("[data-testid=execution]").TextContent.Trim()));
    }

    [Theory]
    [InlineData(RunStatus.Queued, "not assigned yet")]
    [InlineData(RunStatus.Running, "not assigned yet")]
    [InlineData(RunStatus.Cancelled, "none, never started")]
    [InlineData(RunStatus.Failed, "none, never started")]
    public void RunPage_NoDevice_ShownByStatus(RunStatus status, string expected)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, status: status) with { Device = null });
        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.EndsWith(expected, page.Find("[data-testid=device]").TextContent.Trim()));
    }

    [Fact]
    public void RunPage_SpecWithQuotesAndAccents_ShownUnescaped()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1), 2, spec => spec with { Name = "=HYPERLINK(\"x\") café" });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains(
            "\"name\": \"=HYPERLINK(\\\"x\\\") café\"",
            page.Find("[data-testid=spec-json]").TextContent));
    }

    [Fact]
    public void RunPage_SpecWithEmoji_ShownUnescaped()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1), 2, spec => spec with { Name = "fit \U0001F600 on \U0001D518" });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains(
            "\"name\": \"fit \U0001F600 on \U0001D518\"",
            page.Find("[data-testid=spec-json]").TextContent));
    }

    // A spec stored without seeds trains seed 0, and the page shows it as GET /api/experiments/{id}/spec does.
    [Fact]
    public void RunPage_SpecWithoutSeeds_ShowsSeedZero()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1), 2, spec => spec with { Seeds = null });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains(
            "\"seeds\": [\n    0\n  ]",
            page.Find("[data-testid=spec-json]").TextContent.Replace("\r\n", "\n", StringComparison.Ordinal)));
        Assert.DoesNotContain("\"seeds\": null", page.Find("[data-testid=spec-json]").TextContent);
    }

    [Fact]
    public void RunPage_SpecWithMarkup_ShownAsText()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1), 2, spec => spec with { Name = "<b>bold</b> & \U0001F600" });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains(
            "\"name\": \"<b>bold</b> & \U0001F600\"",
            page.Find("[data-testid=spec-json]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=spec-json] b"));
    }

    [Fact]
    public void RunPage_RunOfCondition_ShowsItsDataFields()
    {
        var run = TestRuns.Create("r1", storedEpochs: 1) with { Condition = "corrupted-0.2" };
        StoreRun(run, 2, spec => spec with
        {
            Data = spec.Data! with
            {
                Labels = LabelKind.True,
                Conditions =
                [
                    new DataCondition { Name = "true" },
                    new DataCondition { Name = "corrupted-0.2", Labels = LabelKind.Corrupted, Corruption = 0.2 },
                ],
            },
        });

        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=run-data]");
        Assert.Equal("corrupted-0.2", page.Find("[data-testid=run-condition]").TextContent);
        Assert.Equal(
            "Condition corrupted-0.2 replaces these data fields of the experiment:",
            page.Find("[data-testid=run-data] .mud-typography-body2").TextContent.Trim());
        Assert.Equal(
            ["labels: corrupted", "corruption: 0.2"],
            page.FindAll("[data-testid=run-condition-overrides] li").Select(item => item.TextContent));
        Assert.Equal("Experiment spec", page.Find("[data-testid=spec-title]").TextContent.Trim());
        Assert.Contains("all conditions included", page.Find("[data-testid=spec-note]").TextContent);
    }

    [Fact]
    public void RunPage_SmallSpecNumbers_ReadCompact()
    {
        var run = TestRuns.Create("r1", storedEpochs: 1) with { Condition = "few" };
        StoreRun(run, 2, spec => spec with
        {
            Data = spec.Data! with
            {
                Conditions = [new DataCondition { Name = "few", Labels = LabelKind.Corrupted, Corruption = 1e-5 }],
            },
            Training = spec.Training! with { LearningRate = 1e-6 },
        });

        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=run-data]");
        Assert.Equal(
            ["labels: corrupted", "corruption: 1e-5"],
            page.FindAll("[data-testid=run-condition-overrides] li").Select(item => item.TextContent));
        var json = page.Find("[data-testid=spec-json]").TextContent;
        Assert.Contains("\"learningRate\": 1e-6,", json);
        Assert.Contains("\"corruption\": 1e-5,", json);
    }

    [Fact]
    public void RunPage_LongUnspacedNames_WrapAnywhere()
    {
        var experimentName = new string('x', 200);
        var modelName = new string('m', 200);
        var conditionName = new string('c', 200);
        var run = TestRuns.Create("r1", storedEpochs: 1) with { Model = modelName, Condition = conditionName };
        Runs.Stored[run.Id] = run;
        var experiment = TestRuns.Experiment(run.ExperimentId, 2, run);
        Experiments.Stored[run.ExperimentId] = experiment with
        {
            Name = experimentName,
            Spec = experiment.Spec with
            {
                Name = experimentName,
                Data = experiment.Spec.Data! with { Conditions = [new DataCondition { Name = conditionName, Pixels = PixelTransform.Shuffled }] },
            },
        };

        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=run-data]");
        var facts = page.FindAll(".mud-paper .mud-typography-body1")
            .Where(value => value.TextContent.Contains(experimentName, StringComparison.Ordinal)
                || value.TextContent.Trim() == modelName
                || value.TextContent.Trim() == conditionName)
            .ToList();
        Assert.Equal(3, facts.Count);
        Assert.All(facts, fact => Assert.Contains("rf-wrap-anywhere", fact.ClassList));
        Assert.Contains("rf-wrap-anywhere", page.Find("[data-testid=run-data] .mud-typography-body2").ClassList);
    }

    [Fact]
    public void RunPage_ConditionMissingFromSpec_SaysSo()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1) with { Condition = "gone" });

        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=run-data]");
        Assert.Contains("is not in the experiment's spec", page.Find("[data-testid=run-data]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=run-condition-overrides]"));
    }

    [Fact]
    public void RunPage_RunWithoutCondition_ShowsOnlySpec()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1));

        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=spec-json]");
        Assert.Empty(page.FindAll("[data-testid=run-data]"));
        Assert.Empty(page.FindAll("[data-testid=spec-note]"));
        Assert.Equal("Experiment spec", page.Find("[data-testid=spec-title]").TextContent.Trim());
    }

    [Fact]
    public void RunPage_UnknownId_ShowsRunNotFound()
    {
        var page = RenderRun("missing");

        page.WaitForAssertion(() => Assert.Contains("Run not found", page.Find("[data-testid=not-found]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=epoch-table]"));
    }

    [Fact]
    public void RunPage_HundredEpochsAtOnce_CoalescesRenders()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, totalEpochs: 200));
        var page = RenderRun("r1");
        page.WaitForAssertion(() => page.Find("[data-testid=progress-text]"));
        var rendersBefore = page.Instance.RenderCount;

        PublishEpochs("r1", 1, 100);
        var rendersWhilePublishing = page.Instance.RenderCount - rendersBefore;
        Clock.Advance(TimeSpan.FromMilliseconds(100));

        page.WaitForAssertion(() => Assert.Equal("epoch 100/200", page.Find("[data-testid=progress-text]").TextContent.Trim()));
        Assert.True(rendersWhilePublishing <= 1, $"{rendersWhilePublishing} renders while 100 epochs arrived at one instant");
        Assert.InRange(page.Instance.RenderCount - rendersBefore, 1, 2);
    }

    [Fact]
    public void RunPage_TwentyThousandEpochs_PlotsAtMostTwoThousandPoints()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 20_000, totalEpochs: 20_000, status: RunStatus.Completed));

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Equal("20,000 epochs", page.Find("[data-testid=epoch-count]").TextContent.Trim()));
        Assert.All(PlottedSeries(page), count => Assert.InRange(count, 1_000, SeriesDownsampling.MaxPoints));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RunPage_ShortRun_DrawsEverySeries(int epochs)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: epochs, totalEpochs: epochs, status: RunStatus.Completed));

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Equal(4, PlottedSeries(page).Count));
        Assert.All(PlottedSeries(page), count => Assert.Equal(epochs, count));
    }

    [Fact]
    public async Task RunPage_IdChangedToShorterRun_ShowsItsEpochs()
    {
        StoreRun(TestRuns.Create("long", storedEpochs: 60, totalEpochs: 60, status: RunStatus.Completed));
        StoreRun(TestRuns.Create("short", storedEpochs: 3, totalEpochs: 60, status: RunStatus.Queued));
        var page = RenderRun("long");
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=epoch-table] tbody tr").Count));

        // Rerun navigates from one run's page to another's, which Blazor renders with the same component.
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/short");
        page.Render(parameters => parameters.Add(component => component.Id, "short"));

        page.WaitForAssertion(() => Assert.Equal("3 epochs", page.Find("[data-testid=epoch-count]").TextContent.Trim()));
        Assert.Equal(3, page.FindAll("[data-testid=epoch-table] tbody tr").Count);
        Assert.All(PlottedSeries(page), count => Assert.Equal(3, count));
        await DisposeComponentsAsync();
        var failure = Renderer.UnhandledException.IsCompleted ? await Renderer.UnhandledException : null;
        Assert.Null(failure);
    }

    [Fact]
    public void RunPage_CopyLink_ConfirmsInSnackbar()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=copy-link]").Click();

        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal("Link copied.", snackbar.Message);
        Assert.Contains(JSInterop.Invocations, invocation => invocation.Identifier == "navigator.clipboard.writeText");
    }

    [Fact]
    public void RunPage_ThrowingSubscriber_StillDrawsEpochs()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, totalEpochs: 10));
        using var faulty = Feed.Subscribe(_ => throw new InvalidOperationException("Subscriber failure."));
        var page = RenderRun("r1");

        PublishEpochs("r1", 1, 4);
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=epoch-table] tbody tr").Count));
    }

    [Fact]
    public void RunPage_RedrawAfterDisconnect_NotReported()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 1, totalEpochs: 10));
        JSInterop.SetupVoid(invocation => invocation.Identifier.EndsWith("react", StringComparison.Ordinal))
            .SetException(new JSDisconnectedException("The circuit has disconnected."));
        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=epoch-table] tbody tr")));

        PublishEpochs("r1", 2, 3);
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=epoch-table] tbody tr").Count));
        Assert.Contains(JSInterop.Invocations, invocation => invocation.Identifier.EndsWith("react", StringComparison.Ordinal));
        Assert.False(Renderer.UnhandledException.IsCompleted, "A redraw for a closed tab reported a failure.");
    }

    [Fact]
    public void RunPage_AccuracyChart_DrawsChanceAtOneOverClasses()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3), classes: 10);

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains(Traces(page), trace => trace.Name == "chance"));
        var chance = Traces(page).Single(trace => trace.Name == "chance");
        Assert.All(chance.Y!, y => Assert.Equal(0.1, (double)y));
    }

    [Fact]
    public void RunPage_RandomLabelsAtChance_NotCalledFailure()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3), classes: 10);

        var page = RenderRun("r1");

        page.WaitForAssertion(() => page.Find("[data-testid=accuracy-note]"));
        var note = page.Find("[data-testid=accuracy-note]").TextContent;
        Assert.Contains("The dashed line marks chance, 1/10.", note);
        Assert.Contains("test accuracy at chance is the expected outcome, not a failure", note);
        Assert.Empty(page.FindAll("[data-testid=run-error]"));
    }

    [Fact]
    public void RunPage_NoTestSplit_NoteDescribesTrainingOnly()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3), 10, spec => spec with { Data = spec.Data! with { TestSamples = 0 } });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => page.Find("[data-testid=accuracy-note]"));
        var note = page.Find("[data-testid=accuracy-note]").TextContent;
        Assert.Contains("measured on the whole training set after each epoch", note);
        Assert.DoesNotContain("test", note);
    }

    [Fact]
    public void RunPage_LossStuckAtLnClasses_ShowsHint()
    {
        var stuck = Enumerable.Range(1, 6).Select(epoch => TestRuns.Epoch(epoch, trainLoss: Math.Log(2), trainAccuracy: 0.5));
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = stuck.ToList() });

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Contains("Standardizing the inputs", page.Find("[data-testid=plateau-hint]").TextContent));
    }

    [Fact]
    public void RunPage_StandardizedRunStuck_SuggestsLowerRateOnly()
    {
        var stuck = Enumerable.Range(1, 6).Select(epoch => TestRuns.Epoch(epoch, trainLoss: Math.Log(2), trainAccuracy: 0.5));
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = stuck.ToList() });
        var experiment = Experiments.Stored["e1"];
        Experiments.Stored["e1"] = experiment with
        {
            Spec = experiment.Spec with { Data = experiment.Spec.Data! with { Standardize = true } },
        };

        var page = RenderRun("r1");

        page.WaitForAssertion(() => page.Find("[data-testid=plateau-hint]"));
        var hint = page.Find("[data-testid=plateau-hint]").TextContent;
        Assert.DoesNotContain("Standardizing the inputs", hint);
        Assert.Contains("already standardized", hint);
        Assert.Contains("lower learning rate", hint);
    }

    [Fact]
    public void RunPage_LossStillFalling_ShowsNoHint()
    {
        // Within 2% of ln 3 = 1.0986 throughout, but falling by 0.023 over the five epochs.
        double[] losses = [1.118, 1.112, 1.106, 1.100, 1.095];
        var epochs = losses.Select((loss, index) => TestRuns.Epoch(index + 1, trainLoss: loss, trainAccuracy: 0.406));
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = epochs.ToList() }, classes: 3);

        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=epoch-table] tbody tr").Count));
        Assert.Empty(page.FindAll("[data-testid=plateau-hint]"));
    }

    [Fact]
    public void RunPage_FallingLoss_ShowsNoHint()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 10));

        var page = RenderRun("r1");

        page.WaitForAssertion(() => page.Find("[data-testid=epoch-table]"));
        Assert.Empty(page.FindAll("[data-testid=plateau-hint]"));
    }

    [Fact]
    public void RunPage_StatusEvent_UpdatesChipAndHidesCancel()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        page.WaitForAssertion(() => page.Find("[data-testid=cancel]"));

        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Completed, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=cancel]"));
    }

    [Fact]
    public void RunPage_ExperimentDeleted_ShowsNoticeWithoutActions()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        page.WaitForAssertion(() => page.Find("[data-testid=cancel]"));

        Feed.Publish(new ExperimentDeletedEvent("e1"));

        page.WaitForAssertion(() => Assert.Contains("Run deleted", page.Find("[data-testid=deleted]").TextContent));
        Assert.Contains("The run r1 was deleted with its experiment 'Random labels'.", page.Find("[data-testid=deleted]").TextContent);
        Assert.Equal("/experiments", page.Find("[data-testid=deleted] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=cancel]"));
        Assert.Empty(page.FindAll("[data-testid=rerun]"));
        Assert.Empty(page.FindAll("[data-testid=epoch-table]"));
    }

    [Fact]
    public void RunPage_OtherExperimentDeleted_KeepsRun()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        page.WaitForAssertion(() => page.Find("[data-testid=cancel]"));

        Feed.Publish(new ExperimentDeletedEvent("e2"));
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Completed, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=deleted]"));
        Assert.Single(page.FindAll("[data-testid=rerun]"));
    }

    [Fact]
    public void RunPage_CancelClicked_CancelsTheRun()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=cancel]").Click();

        Assert.Equal(["r1"], Runs.Cancelled);
    }

    [Theory]
    [InlineData(RunStatus.Queued, "Cancelled the run.")]
    [InlineData(RunStatus.Interrupted, "Cancelled the run.")]
    [InlineData(RunStatus.Running, "Cancelling the run.")]
    public void RunPage_Cancel_MessageFollowsStatus(RunStatus status, string expected)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: status));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();

        page.WaitForElement("[data-testid=cancel]").Click();

        Assert.Equal([expected], snackbars.ShownSnackbars.Select(snackbar => snackbar.Message));
    }

    [Fact]
    public void RunPage_CancelThenRerun_DropsCancelMessage()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();
        page.WaitForElement("[data-testid=cancel]").Click();
        Assert.Contains(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Cancelling the run.");

        page.Find("[data-testid=rerun]").Click();
        // Rerun navigates to the new run's page, which Blazor renders with the same component.
        Assert.Equal("/runs/r1-rerun", new Uri(Services.GetRequiredService<NavigationManager>().Uri).AbsolutePath);
        page.Render(parameters => parameters.Add(component => component.Id, "r1-rerun"));

        page.WaitForAssertion(() => Assert.Equal("queued", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.DoesNotContain(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Cancelling the run.");
    }

    [Fact]
    public void RunPage_Rerun_NamesNewRun()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Completed));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();

        page.WaitForElement("[data-testid=rerun]").Click();
        page.Render(parameters => parameters.Add(component => component.Id, "r1-rerun"));

        page.WaitForAssertion(() => Assert.Equal("queued", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.Equal(["r1"], Additions.Reruns);
        var message = Assert.Single(snackbars.ShownSnackbars);
        Assert.Equal("Rerun queued as run r1-rerun.", message.Message);
        Assert.Equal(Severity.Success, message.Severity);
    }

    [Fact]
    public void RunPage_Rerun_KeepsView()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Completed));
        var page = RenderRun("r1", "?metric=testLoss&x=seconds&smooth=0.3&group=none");

        page.WaitForElement("[data-testid=rerun]").Click();

        var uri = new Uri(Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal("/runs/r1-rerun", uri.AbsolutePath);
        Assert.Equal("?metric=testLoss&x=seconds&smooth=0.3", uri.Query);
    }

    [Fact]
    public void RunPage_RerunCancelled_ShowsNewMessage()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();
        page.WaitForElement("[data-testid=cancel]").Click();
        var first = Assert.Single(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Cancelling the run.");
        page.Find("[data-testid=rerun]").Click();

        // The new run has started training, so its cancel message has the same text as the first run's.
        Runs.Stored["r1-rerun"] = Runs.Stored["r1-rerun"] with { Status = RunStatus.Running };
        page.Render(parameters => parameters.Add(component => component.Id, "r1-rerun"));

        page.WaitForElement("[data-testid=cancel]").Click();

        Assert.Equal(["r1", "r1-rerun"], Runs.Cancelled);
        var second = Assert.Single(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Cancelling the run.");
        Assert.NotSame(first, second);
    }

    [Fact]
    public void RunPage_RerunThenCancel_ReplacesRerunMessage()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Completed));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();
        page.WaitForElement("[data-testid=rerun]").Click();
        page.Render(parameters => parameters.Add(component => component.Id, "r1-rerun"));

        page.WaitForElement("[data-testid=cancel]").Click();

        Assert.Equal(["r1-rerun"], Runs.Cancelled);
        var message = Assert.Single(snackbars.ShownSnackbars);
        Assert.Equal("Cancelled the run.", message.Message);
    }

    [Fact]
    public void RunPage_Disposed_RemovesRunMessages()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");
        var snackbars = Services.GetRequiredService<ISnackbar>();
        page.WaitForElement("[data-testid=cancel]").Click();
        page.Find("[data-testid=copy-link]").Click();

        page.Instance.Dispose();

        Assert.DoesNotContain(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Cancelling the run.");
        Assert.DoesNotContain(snackbars.ShownSnackbars, snackbar => snackbar.Message == "Link copied.");
    }

    [Fact]
    public void RunPage_InterruptedRunResumeClicked_ResumesTheRun()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Interrupted));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=resume]").Click();

        Assert.Equal(["r1"], Runs.Resumed);
    }

    [Fact]
    public void RunPage_NoCheckpoint_ExplainsWhy()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Interrupted));
        Runs.WithoutCheckpoint.Add("r1");
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=resume-unavailable]");

        Assert.Empty(page.FindAll("[data-testid=resume]"));
        Assert.Equal("Run 'r1' has no checkpoint; rerun it instead.", page.Find("[data-testid=resume-unavailable]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=rerun]"));
    }

    [Fact]
    public void RunPage_RunBecomesInterrupted_ChecksResume()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        Runs.WithoutCheckpoint.Add("r1");
        var page = RenderRun("r1");
        page.WaitForElement("[data-testid=cancel]");

        Runs.Stored["r1"] = Runs.Stored["r1"] with { Status = RunStatus.Interrupted };
        Feed.Publish(new StatusEvent("r1", "e1", RunStatus.Interrupted, null));
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForElement("[data-testid=resume-unavailable]");
        Assert.Empty(page.FindAll("[data-testid=resume]"));
    }

    [Fact]
    public void RunPage_SignInRequired()
    {
        UseSignIn("true");
        StoreRun(TestRuns.Create("r1", storedEpochs: 2, status: RunStatus.Interrupted));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=sign-in-to-start]");

        Assert.Empty(page.FindAll("[data-testid=resume]"));
        Assert.Empty(page.FindAll("[data-testid=rerun]"));
        Assert.Empty(page.FindAll("[data-testid=cancel]"));
        Assert.Empty(Runs.Resumed);
    }

    [Fact]
    public void RunPage_RunningRun_HasNoResumeButton()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=cancel]");

        Assert.Empty(page.FindAll("[data-testid=resume]"));
    }

    [Fact]
    public void RunPage_SmoothAndSecondsInQuery_PlotsSmoothedSeconds()
    {
        double[] losses = [1.0, 0.0, 0.0];
        var epochs = losses.Select((loss, index) => TestRuns.Epoch(index + 1, trainLoss: loss)).ToList();
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = epochs });

        var page = RenderRun("r1", "?smooth=0.5&x=seconds");

        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));
        Assert.Equal([1.0, 0.5, 0.25], TrainLoss(page).Y!.Select(y => (double)y));
        Assert.Equal([0.01, 0.02, 0.03], TrainLoss(page).X!.Select(x => (double)x));
        Assert.Equal("0.5", page.Find("[data-testid=selected-smooth]").TextContent);
        Assert.Equal("seconds", page.Find("[data-testid=selected-x]").TextContent);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("-0.2")]
    public void RunPage_InvalidSmooth_PlotsRawValues(string smooth)
    {
        double[] losses = [1.0, 0.0, 0.0];
        var epochs = losses.Select((loss, index) => TestRuns.Epoch(index + 1, trainLoss: loss)).ToList();
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = epochs });

        var page = RenderRun("r1", $"?smooth={smooth}");

        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));
        Assert.Equal(losses, TrainLoss(page).Y!.Select(y => (double)y));
        Assert.Equal([1.0, 2.0, 3.0], TrainLoss(page).X!.Select(x => (double)x));
        Assert.Equal("0", page.Find("[data-testid=selected-smooth]").TextContent);
        Assert.Equal(
            $"Ignored smooth '{smooth}': use a number from 0 to 0.99.",
            page.Find("[data-testid=query-notice]").TextContent.Trim());
    }

    [Fact]
    public void RunPage_RepeatedXAndSmooth()
    {
        double[] losses = [1.0, 0.0, 0.0];
        var epochs = losses.Select((loss, index) => TestRuns.Epoch(index + 1, trainLoss: loss)).ToList();
        StoreRun(TestRuns.Create("r1", storedEpochs: 0) with { Epochs = epochs });

        var page = RenderRun("r1", "?x=seconds&smooth=0.5&x=epoch&smooth=0.9");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(
            [
                "Ignored x 'seconds', 'epoch': use one x value, not 2.",
                "Ignored smooth '0.5', '0.9': use one smooth value, not 2.",
            ],
            lines);
        Assert.Equal(losses, TrainLoss(page).Y!.Select(y => (double)y));
        Assert.Equal([1.0, 2.0, 3.0], TrainLoss(page).X!.Select(x => (double)x));
        Assert.Equal("epoch", page.Find("[data-testid=selected-x]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=selected-smooth]").TextContent);
    }

    [Fact]
    public void RunPage_RepeatedInvalidSmooth_NamedOnce()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));

        var page = RenderRun("r1", "?smooth=abc&smooth=2");
        page.WaitForElement("[data-testid=query-notice]");
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(["Ignored smooth 'abc', '2': use one smooth value, not 2."], lines);
    }

    [Fact]
    public void RunPage_ValidQuery_ShowsNoNotice()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 2));

        var page = RenderRun("r1", "?smooth=0.5&x=seconds");

        page.WaitForElement("[data-testid=selected-smooth]");
        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Fact]
    public void RunPage_MetricInQuery_HighlightsItsLine()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1", "?metric=testLoss");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));

        var lines = Traces(page).Where(trace => trace.Name != "chance").ToDictionary(trace => trace.Name!);
        Assert.Equal(4m, lines["test loss"].Line.Width);
        Assert.Null(lines["test loss"].Opacity);
        Assert.Equal(0.35m, lines["train loss"].Opacity);
        Assert.Equal(0.35m, lines["train accuracy"].Opacity);
        Assert.Equal(0.35m, lines["test accuracy"].Opacity);
        Assert.Equal("testLoss", page.Find("[data-testid=selected-metric]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Fact]
    public void RunPage_MetricWithoutValues_FadesNothing()
    {
        // Epochs of a run without a test split.
        var trainOnly = Enumerable.Range(1, 3)
            .Select(epoch => new RandomFit.Training.Training.EpochMetrics(epoch, 0.5, 0.6, null, null, 0.01, epoch * 0.01))
            .ToList();
        StoreRun(TestRuns.Create("r1", storedEpochs: 3) with { Epochs = trainOnly });

        var page = RenderRun("r1", "?metric=testAccuracy");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));

        var lines = Traces(page).Where(trace => trace.Name != "chance").ToList();
        Assert.Equal(["train loss", "train accuracy"], lines.Select(line => line.Name));
        Assert.All(lines, line => Assert.Null(line.Opacity));
    }

    [Fact]
    public void RunPage_NoMetric_DrawsLinesAlike()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));

        var lines = Traces(page).Where(trace => trace.Name != "chance").ToList();
        Assert.All(lines, line => Assert.Null(line.Opacity));
        Assert.All(lines, line => Assert.Equal(2m, line.Line.Width));
        Assert.Equal("", page.Find("[data-testid=selected-metric]").TextContent);
    }

    [Fact]
    public void RunPage_InvalidMetric_NamesAcceptedValues()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1", "?metric=accuracy");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(["Ignored metric 'accuracy': use one of trainAccuracy, testAccuracy, trainLoss, testLoss."], lines);
        Assert.All(Traces(page), trace => Assert.Null(trace.Opacity));
        Assert.Equal("", page.Find("[data-testid=selected-metric]").TextContent);
    }

    [Fact]
    public void RunPage_RepeatedMetric_HighlightsNone()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1", "?metric=trainLoss&metric=testLoss");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal(["Ignored metric 'trainLoss', 'testLoss': use one metric value, not 2."], lines);
        Assert.All(Traces(page), trace => Assert.Null(trace.Opacity));
    }

    [Theory]
    [InlineData("?group=none", "Ignored group 'none': the run page shows a single run and has no grouping.")]
    [InlineData("?group=seed-cohort&group=x",
        "Ignored group 'seed-cohort', 'x': the run page shows a single run and has no grouping.")]
    public void RunPage_GroupInQuery_NamedAsIgnored(string query, string expected)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1", query);
        page.WaitForElement("[data-testid=query-notice]");
        var lines = page.FindAll("[data-testid=query-problem]").Select(line => line.TextContent).ToList();

        Assert.Equal([expected], lines);
    }

    [Fact]
    public async Task RunPage_ChangedXAxis_DropsIgnoredParameters()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderRun("r1", "?group=none&metric=trainLoss&x=steps&smooth=0.5");
        page.WaitForElement("[data-testid=query-notice]");

        var toggle = page.FindComponent<MudToggleGroup<string>>();
        await page.InvokeAsync(() => toggle.Instance.ValueChanged.InvokeAsync("seconds"));

        Assert.Equal("http://localhost/runs/r1?metric=trainLoss&x=seconds&smooth=0.5", navigation.Uri);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=query-notice]")));
        Assert.Equal("seconds", page.Find("[data-testid=selected-x]").TextContent);
    }

    [Fact]
    public void RunPage_XAxisToggle_HasAccessibleName()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));
        var page = RenderRun("r1");

        page.WaitForElement("[data-testid=selected-x]");
        var groups = page.FindAll("[role=group]");

        var group = Assert.Single(groups);
        Assert.Equal("Curve x-axis", group.GetAttribute("aria-label"));
    }

    [Fact]
    public async Task RunPage_HighlightPicker_WritesMetric()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderRun("r1", "?x=seconds");
        page.WaitForAssertion(() => Assert.Equal(3, TrainLoss(page).Y!.Count));

        await ChooseHighlightAsync(page, "trainAccuracy");

        Assert.Equal("http://localhost/runs/r1?metric=trainAccuracy&x=seconds", navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal(4m, Traces(page).Single(trace => trace.Name == "train accuracy").Line.Width));
        Assert.Equal(0.35m, TrainLoss(page).Opacity);

        await ChooseHighlightAsync(page, "none");

        Assert.Equal("http://localhost/runs/r1?x=seconds", navigation.Uri);
        page.WaitForAssertion(() => Assert.Null(TrainLoss(page).Opacity));
    }

    [Theory]
    [InlineData("", "Epoch")]
    [InlineData("?x=seconds", "Seconds")]
    public void RunPage_ChartXAxis_ReadableTitle(string query, string expected)
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1", query);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));

        Assert.All(page.FindComponents<Plotly.Blazor.PlotlyChart>(), chart => Assert.Equal(expected, chart.Instance.Layout.XAxis[0].Title.Text));
    }

    [Fact]
    public void RunPage_NoEpochs_ShowsTextNotCharts()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, totalEpochs: 10));
        var page = RenderRun("r1");

        page.WaitForAssertion(() => Assert.Equal("no epochs yet", page.Find("[data-testid=curves-empty]").TextContent.Trim()));
        Assert.Empty(page.FindComponents<Plotly.Blazor.PlotlyChart>());

        PublishEpochs("r1", 1, 2);
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));
        Assert.Empty(page.FindAll("[data-testid=curves-empty]"));
        Assert.All(PlottedSeries(page), count => Assert.Equal(2, count));
    }

    // A loss that stopped being finite is stored as null, and Plotly draws an empty chart with axes from -1 to 6.
    [Fact]
    public void RunPage_NoLossValues_ShowsText()
    {
        var epoch = TestRuns.Epoch(1) with { TrainLoss = null, TestLoss = null };
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, status: RunStatus.Failed) with { Epochs = [epoch] });

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Single(page.FindComponents<Plotly.Blazor.PlotlyChart>()));

        Assert.Equal("no loss values", page.Find("[data-testid=loss-chart-empty]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=loss-chart]"));
        Assert.Single(page.FindAll("[data-testid=accuracy-chart]"));
    }

    // Plotly.Blazor passes numbers to the browser as decimals, which end near 7.9e28: a diverged run's loss of 2e31
    // threw a FormatException that ended the page's circuit.
    [Fact]
    public void RunPage_LossBeyondDecimal_PlotsEveryEpoch()
    {
        var epochs = new[] { 2.3, 1.9981163e31, 0.9 }
            .Select((loss, index) => TestRuns.Epoch(index + 1, trainLoss: loss))
            .ToList();
        StoreRun(TestRuns.Create("r1", storedEpochs: 0, status: RunStatus.Completed, totalEpochs: 3) with { Epochs = epochs });

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));
        var trainLoss = Traces(page).Single(trace => trace.Name == "train loss");
        var tickValues = page.FindComponents<Plotly.Blazor.PlotlyChart>()[0].Instance.Layout.YAxis[0].TickVals;

        Assert.Equal([2.3, "1.9981163E+31", 0.9], trainLoss.Y!);
        Assert.Contains(tickValues!, tick => tick is string);
    }

    [Fact]
    public void RunPage_EarlyEpochs_WholeNumberTicks()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));

        foreach (var chart in page.FindComponents<Plotly.Blazor.PlotlyChart>())
        {
            var axis = chart.Instance.Layout.XAxis[0];
            Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Linear, axis.TickMode);
            Assert.Equal(1.0, Convert.ToDouble(axis.DTick, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // A memorized run's train loss near 1e-8 would be a flat line at zero on a linear axis.
    [Fact]
    public void RunPage_LossAxis_Logarithmic()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));
        var layouts = page.FindComponent<LearningCurves>().Instance.Layouts.ToList();
        var lossAxis = layouts[0].YAxis[0];
        var accuracyAxis = layouts[1].YAxis[0];

        Assert.Equal("Loss", layouts[0].Title.Text);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, lossAxis.Type);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.MinorLogLabelsEnum.Complete, lossAxis.MinorLogLabels);
        Assert.Equal("~g", lossAxis.TickFormat);
        Assert.Null(lossAxis.RangeMode);
        Assert.Null(lossAxis.Range);
        Assert.NotEqual(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, accuracyAxis.Type);
        var accuracyRange = accuracyAxis.Range.Select(bound => Convert.ToDouble(bound, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([0.0, CurveAxes.AccuracyAxisTop], accuracyRange);
    }

    [Fact]
    public void RunPage_ZeroTrainLoss_NamedBelowLossChart()
    {
        var run = TestRuns.Create("r1", storedEpochs: 0, status: RunStatus.Completed) with
        {
            Epochs = [TestRuns.Epoch(1, 0.5), TestRuns.Epoch(2, 0), TestRuns.Epoch(3, 0), TestRuns.Epoch(4, 1e-7)],
        };
        StoreRun(run);

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));
        var trainLoss = page.FindComponent<LearningCurves>().Instance.Traces.OfType<Scatter>().Single(trace => trace.Name == "train loss");

        Assert.Equal(
            "A logarithmic axis cannot draw a loss of 0, so the chart leaves out train loss at epochs 2-3.",
            page.Find("[data-testid=zero-loss-note]").TextContent);
        // The zeros stay in the data as they were stored; the note explains why Plotly draws no point for them.
        Assert.Equal([0.5, 0.0, 0.0, 1e-7], trainLoss.Y!.Select(value => (double)value));
    }

    [Fact]
    public void RunPage_PositiveLosses_NoZeroLossNote()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));

        Assert.Empty(page.FindAll("[data-testid=zero-loss-note]"));
    }

    [Fact]
    public void RunPage_ChartLegend_BelowPlot()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));

        // Plotly's mode bar covers the chart's top right corner, so the legend must sit elsewhere.
        foreach (var chart in page.FindComponents<Plotly.Blazor.PlotlyChart>())
        {
            var legend = Assert.Single(chart.Instance.Layout.Legend);
            Assert.Equal(Plotly.Blazor.LayoutLib.LegendLib.YRefEnum.Container, legend.YRef);
            Assert.Equal(0m, legend.Y);
            Assert.Equal(Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom, legend.YAnchor);
            Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True, chart.Instance.Layout.XAxis[0].AutoMargin);
        }
    }

    [Fact]
    public void RunPage_Charts_AlwaysShowLegend()
    {
        StoreRun(TestRuns.Create("r1", storedEpochs: 3));

        var page = RenderRun("r1");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponents<Plotly.Blazor.PlotlyChart>().Count));

        // Plotly hides the legend of a chart with one trace, which would leave a lone loss line unnamed.
        Assert.All(page.FindComponents<Plotly.Blazor.PlotlyChart>(), chart => Assert.True(chart.Instance.Layout.ShowLegend));
    }

    private void StoreRun(RunDetails run, int classes = 2, Func<ExperimentSpec, ExperimentSpec>? changeSpec = null)
    {
        Runs.Stored[run.Id] = run;
        var experiment = TestRuns.Experiment(run.ExperimentId, classes, run);
        Experiments.Stored[run.ExperimentId] =
            changeSpec is null ? experiment : experiment with { Spec = changeSpec(experiment.Spec) };
    }

    private IRenderedComponent<RunPage> RenderRun(string id, string query = "")
    {
        // Query parameters reach the page only through the navigation manager's current address.
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/runs/{id}{query}");
        return Render<RunPage>(parameters => parameters.Add(page => page.Id, id));
    }

    private static Task ChooseHighlightAsync(IRenderedComponent<RunPage> page, string metric)
    {
        var select = page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-testid", out var value)
                && (string?)value == "highlight-picker");
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(metric));
    }

    private static Scatter TrainLoss(IRenderedComponent<RunPage> page) =>
        Traces(page).Single(trace => trace.Name == "train loss");

    private void PublishEpochs(string runId, int first, int last)
    {
        for (var epoch = first; epoch <= last; epoch++)
        {
            Feed.Publish(new EpochEvent(runId, "e1", TestRuns.Epoch(epoch)));
        }
    }

    private static List<Scatter> Traces(IRenderedComponent<RunPage> page) =>
        page.FindComponent<LearningCurves>().Instance.Traces.OfType<Scatter>().ToList();

    // Point counts of the measured series, leaving out the two-point chance line.
    private static List<int> PlottedSeries(IRenderedComponent<RunPage> page) =>
        Traces(page).Where(trace => trace.Name != "chance").Select(trace => trace.X!.Count).ToList();
}
