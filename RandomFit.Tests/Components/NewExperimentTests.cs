using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.New;

namespace RandomFit.Tests.Components;

public sealed class NewExperimentTests : ComponentTestBase
{
    private IRenderedComponent<NewExperiment> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<NewExperiment>();
    }

    private static string SelectedPreset(IRenderedComponent<NewExperiment> page) =>
        page.Find(".mud-chip-filled[data-preset]").GetAttribute("data-preset")!;

    [Fact]
    public void NewExperiment_UnknownPresetQuery_NamesIt()
    {
        var page = RenderAt("/experiments/new?preset=%3Cb%3Ecnn-vs-mpl");

        var problem = Assert.Single(page.FindAll("[data-testid=query-problem]"));
        Assert.StartsWith("Ignored preset '<b>cnn-vs-mpl': use one of article-example-1, ", problem.TextContent);
        Assert.Null(problem.QuerySelector("b"));
        Assert.Equal("article-example-1", SelectedPreset(page));
    }

    [Fact]
    public void NewExperiment_LongPresetQuery_ShortenedInNotice()
    {
        var longPreset = new string('p', 100);

        var page = RenderAt($"/experiments/new?preset={longPreset}");

        var problem = Assert.Single(page.FindAll("[data-testid=query-problem]"));
        Assert.StartsWith($"Ignored preset '{longPreset[..64]}…' (100 characters): use one of article-example-1, ", problem.TextContent);
    }

    [Fact]
    public void NewExperiment_LongTextInLearningRate_ShortenedInMessage()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        var text = new string('x', 100);

        Field(page, FieldPaths.Training("learningRate")).Change(text);

        Assert.Equal(
            $"'{text[..64]}…' (100 characters) is not a number, so Learning rate keeps 0.001.",
            ErrorText(page, FieldPaths.Training("learningRate")).Trim());
    }

    [Fact]
    public void NewExperiment_RepeatedPresetQuery_NamesIt()
    {
        var page = RenderAt("/experiments/new?preset=cnn-vs-mlp&preset=article-example-3");

        var problem = Assert.Single(page.FindAll("[data-testid=query-problem]"));
        Assert.Equal("Ignored preset 'cnn-vs-mlp', 'article-example-3': use one preset value, not 2.", problem.TextContent);
        Assert.Equal("article-example-1", SelectedPreset(page));
    }

    // The address names the preset shown in place of the ignored one, so a copied link opens what the page shows, and
    // Back does not return to the ignored value.
    [Theory]
    [InlineData("/experiments/new?preset=nope")]
    [InlineData("/experiments/new?preset=cnn-vs-mlp&preset=article-example-3")]
    [InlineData("/experiments/new?preset=")]
    public void NewExperiment_IgnoredPresetQuery_ReplacesAddress(string uri)
    {
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var page = RenderAt(uri);

        Assert.Equal("http://localhost/experiments/new?preset=article-example-1", navigation.Uri);
        var entry = Assert.Single(navigation.History);
        Assert.True(entry.Options.ReplaceHistoryEntry);
        Assert.Equal("article-example-1", SelectedPreset(page));
    }

    [Fact]
    public void NewExperiment_UnknownPresetReplaced_KeepsNotice()
    {
        var page = RenderAt("/experiments/new?preset=nope");

        var problem = Assert.Single(page.FindAll("[data-testid=query-problem]"));
        Assert.StartsWith("Ignored preset 'nope': use one of article-example-1, ", problem.TextContent);
    }

    [Fact]
    public void NewExperiment_PresetPickedAfterRepeat()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderAt("/experiments/new?preset=cnn-vs-mlp&preset=article-example-3");

        page.Find("[data-preset='article-example-3']").Click();

        Assert.Equal("http://localhost/experiments/new?preset=article-example-3", navigation.Uri);
        Assert.Empty(page.FindAll("[data-testid=query-problem]"));
    }

    [Fact]
    public void NewExperiment_KnownPresetQuery_LoadsItSilently()
    {
        var page = RenderAt("/experiments/new?preset=cnn-vs-mlp");

        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
        Assert.Equal("cnn-vs-mlp", SelectedPreset(page));
    }

    [Fact]
    public async Task NewExperiment_FileInputs_LeavePreset()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderAt("/experiments/new?preset=article-example-3");

        await ChooseInputsAsync(page, InputKind.File);

        Assert.Empty(page.FindAll(".mud-chip-filled[data-preset]"));
        Assert.Equal("Untitled experiment", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.StartsWith("Edited from article-example-3:", page.Find("[data-testid=preset-edited]").TextContent.Trim());
        Assert.Equal("http://localhost/experiments/new", navigation.Uri);
    }

    [Fact]
    public async Task NewExperiment_UploadedDataset_StartsAsOwnSpec()
    {
        Datasets.Items.Add(Digits);
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseInputsAsync(page, InputKind.File);
        await ChooseDatasetAsync(page, Digits.Id);

        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Null(request.Preset);
        Assert.Equal("Untitled experiment", request.Spec!.Name);
        Assert.Empty(page.FindAll(".mud-chip-filled[data-preset]"));
    }

    [Fact]
    public async Task NewExperiment_TypedName_KeptAfterLeavingPreset()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Name).Change("digits memorization");

        await ChooseInputsAsync(page, InputKind.File);

        Assert.Equal("digits memorization", Field(page, FieldPaths.Name).GetAttribute("value"));
        await ChooseInputsAsync(page, InputKind.Uniform);
        Assert.Equal("digits memorization", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal("article-example-3", SelectedPreset(page));
    }

    [Fact]
    public async Task NewExperiment_InputsRestored_ReturnToPreset()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderAt("/experiments/new?preset=article-example-3");
        await ChooseInputsAsync(page, InputKind.File);

        await ChooseInputsAsync(page, InputKind.Uniform);

        Assert.Equal("article-example-3", SelectedPreset(page));
        Assert.Equal("Article example 3: small CNN trained long", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=preset-edited]"));
        Assert.Equal("http://localhost/experiments/new?preset=article-example-3", navigation.Uri);
    }

    [Fact]
    public void NewExperiment_EditedEpochs_LeavePreset()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");

        Field(page, FieldPaths.Training("epochs")).Change("7");

        Assert.Empty(page.FindAll(".mud-chip-filled[data-preset]"));
        Assert.Equal("Untitled experiment", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal("http://localhost/experiments/new", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void NewExperiment_ClearedName_StartsWithPresetName()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");

        Field(page, FieldPaths.Name).Change("");

        Assert.Equal("", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal("Article example 3: small CNN trained long", Field(page, FieldPaths.Name).GetAttribute("placeholder"));
        Assert.Equal("", ErrorText(page, FieldPaths.Name));
        page.Find("[data-testid=start]").Click();
        var request = Assert.Single(Experiments.Requests);
        Assert.Equal("article-example-3", request.Preset);
        Assert.Equal("Article example 3: small CNN trained long", request.Name);
    }

    [Fact]
    public void NewExperiment_ClearedNameAfterEdit_StartsUntitled()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        Field(page, FieldPaths.Name).Change("");

        Field(page, FieldPaths.Training("epochs")).Change("7");

        Assert.Equal("", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal("Untitled experiment", Field(page, FieldPaths.Name).GetAttribute("placeholder"));
        page.Find("[data-testid=start]").Click();
        var request = Assert.Single(Experiments.Requests);
        Assert.Null(request.Preset);
        Assert.Equal("Untitled experiment", request.Spec!.Name);
    }

    [Fact]
    public void NewExperiment_BlankName_ShowsMessage()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");

        Field(page, FieldPaths.Name).Change("   ");

        Assert.Equal("   ", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal(
            "Name must not be empty; give 1 to 200 characters, or leave it out.",
            ErrorText(page, FieldPaths.Name));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_EditedSeeds_KeepPreset()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");

        Field(page, FieldPaths.Seeds).Change("0-4");

        Assert.Equal("article-example-3", SelectedPreset(page));
        Assert.Equal("Article example 3: small CNN trained long", Field(page, FieldPaths.Name).GetAttribute("value"));
        Assert.Equal(
            "http://localhost/experiments/new?preset=article-example-3",
            Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void NewExperiment_PresetChip_WritesQuery()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderAt("/experiments/new?preset=cnn-vs-mpl");

        page.Find("[data-preset='article-example-3']").Click();

        Assert.Equal("http://localhost/experiments/new?preset=article-example-3", navigation.Uri);
        Assert.Equal("article-example-3", SelectedPreset(page));
        Assert.Empty(page.FindAll("[data-testid=query-notice]"));
    }

    [Fact]
    public void NewExperiment_ArticleExample1_CountsCnnParameters()
    {
        var page = Render<NewExperiment>();

        page.Find("[data-preset='article-example-1']").Click();

        // conv 3->32 3x3: 3*3*3*32 + 32 = 896; 98x98 pooled to 49x49x32 = 76,832 inputs to one output unit: 76,833.
        Assert.Equal("77,729 parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_CnnVsMlp_CountsBothModels()
    {
        var page = Render<NewExperiment>();

        page.Find("[data-preset='cnn-vs-mlp']").Click();

        // MLP: 30,000 inputs x 64 + 64 = 1,920,064, then 64 + 1 to the output.
        Assert.Equal("77,729 parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
        Assert.Equal("1,920,129 parameters", page.Find("[data-testid=parameter-count-1]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_ArticleExample3_ShowsFlopsPerSample()
    {
        var page = Render<NewExperiment>();

        page.Find("[data-preset='article-example-3']").Click();

        // conv 8 3x3 on 1x10x10, valid: 8x8x8 x 9 = 4,608 MACs; dense 128 -> 1 = 128 MACs; 2 FLOPs per MAC.
        Assert.Equal("9,472 FLOPs per sample", page.Find("[data-testid=flop-count-0]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_MatchedMlp_AddsNearestWidth()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-1']").Click();

        page.Find("button[data-testid=add-matched-mlp-0]").Click();

        // The CNN has 77,729 parameters. An MLP on 30,000 inputs with one hidden layer of width w has 30,002w + 1,
        // so width 3 (90,007) is the closest: width 2 (60,005) is further off, and no width comes within 1%.
        Assert.Equal(2, page.FindAll("[data-model-index]").Count);
        Assert.Equal("cnn-matched-mlp", Field(page, FieldPaths.Model(1, "name")).GetAttribute("value"));
        Assert.Equal("3", Field(page, FieldPaths.Hidden(1)).GetAttribute("value"));
        Assert.Equal("90,007 parameters", page.Find("[data-testid=parameter-count-1]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=add-matched-mlp-1]"));
    }

    [Fact]
    public void NewExperiment_Preset_FillsFields()
    {
        var page = Render<NewExperiment>();

        page.Find("[data-preset='article-example-3']").Click();

        Assert.Equal("10", Field(page, FieldPaths.Shape("height")).GetAttribute("value"));
        Assert.Equal("8", Field(page, FieldPaths.Conv(0, 0, "filters")).GetAttribute("value"));
        Assert.Equal("100", Field(page, FieldPaths.Training("epochs")).GetAttribute("value"));
        Assert.Equal("1 model × 1 seed = 1 run", page.Find("[data-testid=run-count]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_KernelTooLarge_ShowsErrorAtKernelField()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-1']").Click();

        Field(page, FieldPaths.Conv(0, 0, "kernel")).Change("200");

        var error = ErrorText(page, FieldPaths.Conv(0, 0, "kernel"));
        Assert.Contains("Kernel 200 does not fit conv block 1", error);
        Assert.StartsWith("Cannot count parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_KernelTooLarge_ShowsMessageBelowBlock()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Conv(0, 0, "kernel")).Change("20");

        var kernel = Field(page, FieldPaths.Conv(0, 0, "kernel")).Closest(".mud-input-control")!;
        Assert.Contains("rf-messages-elsewhere", kernel.ClassList);
        Assert.Contains("mud-input-error", kernel.ClassList);
        var messages = page.Find("[data-testid=conv-messages-0-0]").TextContent.Trim();
        Assert.StartsWith("Kernel 20 does not fit conv block 1", messages);
    }

    [Fact]
    public void NewExperiment_LettersInLearningRate_KeepsLastValue()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("learningRate")).Change("abc");

        Assert.Equal("0.001", Field(page, FieldPaths.Training("learningRate")).GetAttribute("value"));
        Assert.Equal("'abc' is not a number, so Learning rate keeps 0.001.", ErrorText(page, FieldPaths.Training("learningRate")).Trim());
        page.Find("[data-testid=start]").Click();
        Assert.Equal("article-example-3", Assert.Single(Experiments.Requests).Preset);
    }

    [Theory]
    [InlineData("1e-6")]
    [InlineData("0.000001")]
    [InlineData("1E-06")]
    public void NewExperiment_SmallLearningRate_ReadsCompact(string typed)
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("learningRate")).Change(typed);
        Assert.Equal("1e-6", Field(page, FieldPaths.Training("learningRate")).GetAttribute("value"));
        Field(page, FieldPaths.Training("learningRate")).Change("abc");

        Assert.Equal("1e-6", Field(page, FieldPaths.Training("learningRate")).GetAttribute("value"));
        Assert.Equal("'abc' is not a number, so Learning rate keeps 1e-6.", ErrorText(page, FieldPaths.Training("learningRate")).Trim());
        page.Find("[data-testid=start]").Click();
        Assert.Equal(1e-6, Assert.Single(Experiments.Requests).Spec!.Training!.LearningRate);
    }

    [Fact]
    public void NewExperiment_EpochsBeyondInt_NamesIntRange()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("epochs")).Change("5000000000");

        Assert.Equal(
            "'5000000000' is not a whole number from -2147483648 to 2147483647, so Epochs keeps 100.",
            ErrorText(page, FieldPaths.Training("epochs")).Trim());
    }

    [Fact]
    public void NewExperiment_FractionInEpochs_KeepsLastValue()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("epochs")).Change("1.5");

        Assert.Equal("100", Field(page, FieldPaths.Training("epochs")).GetAttribute("value"));
        Assert.Equal(
            "'1.5' is not a whole number, so Epochs keeps 100.",
            ErrorText(page, FieldPaths.Training("epochs")).Trim());
    }

    [Fact]
    public void NewExperiment_NumberAfterLetters_ClearsMessage()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Training("learningRate")).Change("abc");

        Field(page, FieldPaths.Training("learningRate")).Change("0.01");

        Assert.Equal("0.01", Field(page, FieldPaths.Training("learningRate")).GetAttribute("value"));
        Assert.Equal("", ErrorText(page, FieldPaths.Training("learningRate")).Trim());
    }

    [Fact]
    public void NewExperiment_EmptyOptionalSeed_IsAccepted()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Training("dataSeed")).Change("7");

        Field(page, FieldPaths.Training("dataSeed")).Change("");

        Assert.Equal("", Field(page, FieldPaths.Training("dataSeed")).GetAttribute("value") ?? "");
        Assert.Equal("Empty: each run's seed", ErrorText(page, FieldPaths.Training("dataSeed")).Trim());
    }

    [Fact]
    public void NewExperiment_LettersInConvField_ShowsMessageBelowBlock()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Conv(0, 0, "filters")).Change("x");

        Assert.Equal("8", Field(page, FieldPaths.Conv(0, 0, "filters")).GetAttribute("value"));
        Assert.Equal(
            "'x' is not a whole number, so Filters keeps 8.",
            page.Find("[data-testid=conv-messages-0-0]").TextContent.Trim());
    }

    [Fact]
    public void NewExperiment_BadSeeds_ShowsErrorAtSeedsField()
    {
        var page = Render<NewExperiment>();

        Field(page, FieldPaths.Seeds).Change("0, x");

        Assert.Contains("\"x\" is not a seed or a range", ErrorText(page, FieldPaths.Seeds));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_RepeatedSeed_CountsNoRuns()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Seeds).Change("3, 3");

        Assert.Contains("Seed 3 appears more than once; seeds must be distinct.", ErrorText(page, FieldPaths.Seeds));
        Assert.Equal("1 model × 0 seeds = 0 runs", page.Find("[data-testid=run-count]").TextContent.Trim());
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_UnchangedPreset_CreatesByPresetAndOpensRun()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Equal("article-example-3", request.Preset);
        Assert.EndsWith("/runs/e1-cnn-0", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void NewExperiment_EditedSpec_CreatesFromSpecAndOpensExperiment()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Seeds).Change("0-2");
        Field(page, FieldPaths.Training("epochs")).Change("7");

        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Equal(7, request.Spec!.Training!.Epochs);
        Assert.Equal([0, 1, 2], request.Spec.Seeds!);
        Assert.EndsWith("/experiments/e1", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void NewExperiment_ServiceRejects_ShowsErrorAtField()
    {
        Experiments.Rejection = new RequestValidationException(new Dictionary<string, string[]>
        {
            ["spec.training.batchSize"] = ["Batch size is too large for this server."],
        });
        var page = Render<NewExperiment>();

        page.Find("[data-testid=start]").Click();

        Assert.Contains("Batch size is too large for this server.", ErrorText(page, FieldPaths.Training("batchSize")));
    }

    [Fact]
    public async Task NewExperiment_FileInputsWithoutDataset_AsksToChooseOne()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        await ChooseInputsAsync(page, InputKind.File);

        var error = ErrorText(page, FieldPaths.Data("file"));
        Assert.Contains("Choose a dataset from the list, or upload a .npz file or an IDX pair below.", error);
        Assert.DoesNotContain("POST /api/datasets", error);
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_UploadedDataset_FillsShapeAndStartsFileRun()
    {
        Datasets.Items.Add(Digits);
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseInputsAsync(page, InputKind.File);

        await ChooseDatasetAsync(page, Digits.Id);
        page.Find("[data-testid=start]").Click();

        Assert.Equal("8", Field(page, FieldPaths.Shape("height")).GetAttribute("value"));
        Assert.Equal("60", Field(page, FieldPaths.Data("trainSamples")).GetAttribute("value"));
        var request = Assert.Single(Experiments.Requests);
        Assert.Equal(InputKind.File, request.Spec!.Data!.Inputs);
        Assert.Equal(Digits.Id, request.Spec.Data.File);
    }

    [Fact]
    public async Task NewExperiment_DatasetShapeMismatch_ShowsValidatorMessage()
    {
        Datasets.Items.Add(Digits);
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseInputsAsync(page, InputKind.File);
        await ChooseDatasetAsync(page, Digits.Id);

        Field(page, FieldPaths.Shape("height")).Change("12");

        var expected = SpecValidator.DescribeShapeMismatch(Datasets.Find(Digits.Id)!, 1, 12, 8)!;
        Assert.Contains(expected, ErrorText(page, FieldPaths.Data("file")));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_ConditionsPreset_CountsRunsPerCondition()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments/new?preset=zhang-randomization");

        var page = Render<NewExperiment>();

        // POST /api/experiments queues every model on every condition for every seed: 2 x 7 x 3.
        Assert.Equal("2 models × 7 conditions × 3 seeds = 42 runs", page.Find("[data-testid=run-count]").TextContent.Trim());
        Assert.Equal(
            "Every model trains on each condition: true-labels, corrupted-0.5, random-labels, shuffled-pixels, "
            + "random-pixels, gaussian, uniform",
            page.Find("[data-testid=run-conditions]").TextContent.Trim());
    }

    [Fact]
    public void Summary_LongUnspacedNames_WrapAnywhere()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        var modelName = new string('m', 150);
        var conditionName = new string('c', 150);

        page.Find("button[data-testid=add-condition]").Click();
        Field(page, FieldPaths.Model(0, "name")).Change(modelName);
        Field(page, FieldPaths.Condition(0) + ".name").Change(conditionName);
        var modelCell = page.Find("[data-testid=summary-count-0]").ParentElement!.FirstElementChild!;
        var conditions = page.Find("[data-testid=run-conditions]");

        Assert.Equal(modelName, modelCell.TextContent);
        Assert.Contains("rf-wrap-anywhere", modelCell.ClassList);
        Assert.Contains(conditionName, conditions.TextContent);
        Assert.Contains("rf-wrap-anywhere", conditions.ClassList);
    }

    [Fact]
    public void NewExperiment_Conditions_ShowsEachConditionsFields()
    {
        var page = Render<NewExperiment>();

        page.Find("[data-preset='zhang-randomization']").Click();

        Assert.Equal(7, page.FindAll("[data-condition-index]").Count);
        Assert.Equal("true-labels", Field(page, FieldPaths.Condition(0) + ".name").GetAttribute("value"));
        Assert.Null(ConditionValue<LabelKind>(page, 0, "labels"));
        Assert.Equal("corrupted-0.5", Field(page, FieldPaths.Condition(1) + ".name").GetAttribute("value"));
        Assert.Equal(LabelKind.Corrupted, ConditionValue<LabelKind>(page, 1, "labels"));
        Assert.Equal("0.5", Field(page, FieldPaths.Condition(1) + ".corruption").GetAttribute("value"));
        Assert.Equal(PixelTransform.Gaussian, ConditionValue<PixelTransform>(page, 5, "pixels"));
        Assert.Equal(InputKind.Uniform, ConditionValue<InputKind>(page, 6, "inputs"));

        // Corruption is asked for only where the condition's labels are corrupted.
        Assert.Empty(page.FindAll($"input[data-path='{FieldPaths.Condition(0)}.corruption']"));
    }

    [Fact]
    public async Task NewExperiment_AddedCondition_SendsItInSpec()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='cnn-vs-mlp']").Click();
        Assert.Empty(page.FindAll("[data-condition-index]"));

        page.Find("button[data-testid=add-condition]").Click();
        page.Find("button[data-testid=add-condition]").Click();
        await ChooseConditionAsync(page, 1, "inputs", "structured");
        await ChooseConditionAsync(page, 1, "labels", "corrupted");
        Field(page, FieldPaths.Condition(1) + ".corruption").Change("0.25");
        Field(page, FieldPaths.Condition(1) + ".name").Change("quarter-corrupted");

        Assert.StartsWith("2 models × 2 conditions × ", page.Find("[data-testid=run-count]").TextContent.Trim());
        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Null(request.Preset);
        var conditions = request.Spec!.Data!.Conditions!;
        Assert.Equal(2, conditions.Count);
        Assert.Equal(new DataCondition { Name = "condition1" }, conditions[0]);
        Assert.Equal(
            new DataCondition
            {
                Name = "quarter-corrupted", Inputs = InputKind.Structured, Labels = LabelKind.Corrupted, Corruption = 0.25,
            },
            conditions[1]);
    }

    [Fact]
    public async Task NewExperiment_ConditionAsAbove_OmitsField()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        await ChooseConditionAsync(page, 5, "pixels", ConditionEnumSelect<PixelTransform>.AsAbove);
        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Equal(new DataCondition { Name = "gaussian" }, request.Spec!.Data!.Conditions![5]);
    }

    [Fact]
    public async Task NewExperiment_ConditionAsAbove_NamesInheritedValue()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        Assert.Equal("as above (true)", ConditionSelectText(page, 0, "labels"));
        Assert.Equal("as above (structured)", ConditionSelectText(page, 0, "inputs"));
        Assert.Equal("as above (as-is)", ConditionSelectText(page, 0, "pixels"));
        Assert.Equal("random", ConditionSelectText(page, 2, "labels"));

        await ChooseInputsAsync(page, InputKind.Uniform);

        Assert.Equal("as above (uniform)", ConditionSelectText(page, 0, "inputs"));
        Assert.Equal("as above (true)", ConditionSelectText(page, 0, "labels"));
        Assert.StartsWith("Labels \"true\" need inputs with a true class", ConditionErrorText<LabelKind>(page, 0, "labels"));
    }

    [Fact]
    public void ConditionFields_AtMostTwoPerRow()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        // Four fields a row cut a select down to "as above (…", which hides the value kept. Each field takes the full
        // width on phones and half of it from MudBlazor's sm breakpoint (600 px) up.
        var row = page.Find("[data-condition-index='0'] .mud-grid");
        var items = row.Children.Where(child => child.ClassList.Contains("mud-grid-item")).ToList();
        Assert.Equal(4, items.Count);
        foreach (var item in items)
        {
            Assert.Contains("mud-grid-item-xs-12", item.ClassList);
            Assert.Contains("mud-grid-item-sm-6", item.ClassList);
        }
    }

    [Fact]
    public void ModelHeading_KeepsLabelsOnOneLine()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-1']").Click();

        // In a narrow card the header row wraps between its parts, not inside "Model 1" or the button's text.
        var heading = page.Find("[data-testid=model-heading-0]");
        var button = page.Find("button[data-testid=add-matched-mlp-0]");
        Assert.Equal("Model 1", heading.TextContent.Trim());
        Assert.Contains("rf-nowrap", heading.ClassList);
        Assert.Contains("rf-nowrap", button.ClassList);
        Assert.Contains("rf-nowrap", page.Find("[data-testid=parameter-count-0]").ClassList);
        Assert.Contains("rf-nowrap", page.Find("[data-testid=flop-count-0]").ClassList);
        Assert.Contains("flex-wrap", heading.ParentElement!.ParentElement!.ClassList);
    }

    [Fact]
    public async Task NewExperiment_InheritedOptionChosen_StoresNull()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        await ChooseConditionAsync(page, 5, "pixels", "as above (as-is)");

        Assert.Null(ConditionValue<PixelTransform>(page, 5, "pixels"));
        Assert.Equal("as above (as-is)", ConditionSelectText(page, 5, "pixels"));
        page.Find("[data-testid=start]").Click();
        var request = Assert.Single(Experiments.Requests);
        Assert.Equal(new DataCondition { Name = "gaussian" }, request.Spec!.Data!.Conditions![5]);
    }

    [Fact]
    public void NewExperiment_RemovedCondition_RecountsAndSendsRest()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        page.Find("button[data-testid=remove-condition-0]").Click();

        Assert.Equal("2 models × 6 conditions × 3 seeds = 36 runs", page.Find("[data-testid=run-count]").TextContent.Trim());
        page.Find("[data-testid=start]").Click();
        var request = Assert.Single(Experiments.Requests);
        Assert.Null(request.Preset);
        Assert.Equal(
            ["corrupted-0.5", "random-labels", "shuffled-pixels", "random-pixels", "gaussian", "uniform"],
            request.Spec!.Data!.Conditions!.Select(condition => condition.Name));
    }

    [Fact]
    public async Task NewExperiment_RemovedCondition_TakesItsRejectionAlong()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();
        await ChooseConditionAsync(page, 0, "labels", "corrupted");
        Field(page, FieldPaths.Condition(0) + ".corruption").Change("0.5");

        // Conditions 0 and 1 now both corrupt half the labels; the letters go to condition 0 only.
        Field(page, FieldPaths.Condition(0) + ".corruption").Change("half");
        Assert.Contains("half", ErrorText(page, FieldPaths.Condition(0) + ".corruption"));
        page.Find("button[data-testid=remove-condition-0]").Click();

        Assert.Equal("corrupted-0.5", Field(page, FieldPaths.Condition(0) + ".name").GetAttribute("value"));
        Assert.Equal("Empty: as above", ErrorText(page, FieldPaths.Condition(0) + ".corruption"));
    }

    [Fact]
    public void NewExperiment_RemovedModel_TakesItsRejectionAlong()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='cnn-vs-mlp']").Click();

        // Both models have dropout 0; the letters go to model 0 only.
        Field(page, FieldPaths.Model(0, "dropout")).Change("some");
        Assert.Contains("some", ErrorText(page, FieldPaths.Model(0, "dropout")));
        page.FindAll("[data-model-index='0'] button[aria-label='Remove model']").Single().Click();

        Assert.Single(page.FindAll("[data-model-index]"));
        Assert.Equal("", ErrorText(page, FieldPaths.Model(0, "dropout")));
    }

    [Fact]
    public void NewExperiment_RemovedConvBlock_TakesItsRejectionAlong()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='cnn-vs-mlp']").Click();
        page.FindAll("[data-model-index='0'] button").Single(button => button.TextContent.Trim() == "Add conv block").Click();
        Field(page, FieldPaths.Conv(0, 1, "filters")).Change(NumberText.Format(ConvFilters(page, 0)));

        // Blocks 0 and 1 now have the same filters; the letters go to block 0 only.
        Field(page, FieldPaths.Conv(0, 0, "filters")).Change("many");
        Assert.True(IsMarkedInvalid(page, FieldPaths.Conv(0, 0, "filters")));
        page.FindAll("[data-model-index='0'] [data-conv-index='0'] button[aria-label='Remove conv block']").Single().Click();

        Assert.Single(page.FindAll("[data-model-index='0'] [data-conv-index]"));
        Assert.False(IsMarkedInvalid(page, FieldPaths.Conv(0, 0, "filters")));
    }

    [Fact]
    public void NewExperiment_ConditionFieldError_ShowsAtField()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        Field(page, FieldPaths.Condition(1) + ".corruption").Change("1.5");

        Assert.Equal(
            "Corruption must be between 0 and 1; got 1.5.",
            ErrorText(page, FieldPaths.Condition(1) + ".corruption"));
        Assert.Empty(page.FindAll($"[data-path='{FieldPaths.Condition(1)}']"));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_LeftoverCorruption_StaysEditable()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        await ChooseConditionAsync(page, 1, "labels", "random");

        // The condition still sets corruption 0.5, so the field stays until it is cleared.
        Assert.Equal("0.5", Field(page, FieldPaths.Condition(1) + ".corruption").GetAttribute("value"));
        Field(page, FieldPaths.Condition(1) + ".corruption").Change("");
        Assert.Empty(page.FindAll($"input[data-path='{FieldPaths.Condition(1)}.corruption']"));
        page.Find("[data-testid=start]").Click();
        var request = Assert.Single(Experiments.Requests);
        Assert.Equal(
            new DataCondition { Name = "corrupted-0.5", Labels = LabelKind.Random },
            request.Spec!.Data!.Conditions![1]);
    }

    [Fact]
    public async Task NewExperiment_AdamOptimizer_HidesUnsetMomentum()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseAsync(page, OptimizerKind.Adam);

        Assert.Empty(page.FindAll($"input[data-path='{FieldPaths.Training("momentum")}']"));
        Assert.DoesNotContain(page.FindComponents<SpecSwitch>(), toggle => toggle.Instance.Path == FieldPaths.Training("nesterov"));
    }

    [Fact]
    public async Task NewExperiment_MomentumSetThenAdam_StaysWithNote()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseAsync(page, OptimizerKind.Sgd);
        Field(page, FieldPaths.Training("momentum")).Change("0.9");

        await ChooseAsync(page, OptimizerKind.Adam);

        Assert.Equal("0.9", Field(page, FieldPaths.Training("momentum")).GetAttribute("value"));
        Assert.Equal("Used by sgd only; adam ignores it", ErrorText(page, FieldPaths.Training("momentum")));
        Assert.DoesNotContain(page.FindComponents<SpecSwitch>(), toggle => toggle.Instance.Path == FieldPaths.Training("nesterov"));
    }

    [Fact]
    public void NewExperiment_DuplicateConditionName_ShowsAtName()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        Field(page, FieldPaths.Condition(1) + ".name").Change("true-labels");

        Assert.Equal(
            "Condition name \"true-labels\" appears more than once; condition names must be unique.",
            ErrorText(page, FieldPaths.Condition(1) + ".name"));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_ChangedSeeds_RecountsConditionRuns()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        Field(page, FieldPaths.Seeds).Change("0-4");

        Assert.Equal("2 models × 7 conditions × 5 seeds = 70 runs", page.Find("[data-testid=run-count]").TextContent.Trim());
    }

    [Fact]
    public async Task NewExperiment_InvalidCondition_ShowsMessageAtConditionField()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        await ChooseInputsAsync(page, InputKind.Uniform);

        // The true-labels condition keeps the experiment's true labels, which uniform inputs cannot carry.
        var expected = "Labels \"true\" need inputs with a true class; use inputs \"structured\" or \"file\", or labels \"random\" "
            + "(got inputs \"uniform\").";
        Assert.Equal(expected, ConditionErrorText<LabelKind>(page, 0, "labels"));
        Assert.Equal("", ConditionErrorText<LabelKind>(page, 2, "labels"));
        Assert.Empty(page.FindAll($"[data-path='{FieldPaths.Condition(0)}']"));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_UnchangedConditionsPreset_CreatesByPreset()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        Assert.Equal("zhang-randomization", request.Preset);
        Assert.Null(request.Spec);
    }

    [Fact]
    public async Task NewExperiment_StackedExecution_SendsStackedInSpec()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Seeds).Change("0-2");

        await ChooseAsync(page, ExecutionMode.Stacked);
        page.Find("[data-testid=start]").Click();

        var request = Assert.Single(Experiments.Requests);
        var json = JsonSerializer.SerializeToNode(request.Spec, SpecJson.Options)!;
        Assert.Equal("stacked", json["training"]!["execution"]!.GetValue<string>());
    }

    [Fact]
    public async Task NewExperiment_StackedWithDropout_ShowsMessage()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        Field(page, FieldPaths.Model(0, "dropout")).Change("0.2");
        Assert.Equal("", ErrorText(page, FieldPaths.Model(0, "dropout")));

        await ChooseAsync(page, ExecutionMode.Stacked);

        Assert.Equal(
            "Stacked execution does not support dropout; use separate execution.",
            ErrorText(page, FieldPaths.Model(0, "dropout")));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_StackedWithBatchNorm_ShowsMessage()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        await ChooseAsync(page, ExecutionMode.Stacked);

        await SwitchAsync(page, FieldPaths.Model(0, "batchNorm"), true);

        Assert.Equal(
            "Stacked execution does not support batch normalization; use separate execution.",
            ErrorText(page, FieldPaths.Model(0, "batchNorm")));
        Assert.True(IsMarkedInvalid(page, FieldPaths.Model(0, "batchNorm")));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_BatchNormThenStacked_MarksFields()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        var batchNorm = FieldPaths.Model(0, "batchNorm");
        var dropout = FieldPaths.Model(0, "dropout");
        await SwitchAsync(page, batchNorm, true);
        Field(page, dropout).Change("0.2");

        await ChooseAsync(page, ExecutionMode.Stacked);

        Assert.True(IsMarkedInvalid(page, batchNorm));
        Assert.Equal("true", Field(page, batchNorm).GetAttribute("aria-invalid"));
        Assert.Equal(
            "Stacked execution does not support batch normalization; use separate execution.",
            ErrorText(page, batchNorm));
        Assert.True(IsMarkedInvalid(page, dropout));
        Assert.Equal("true", Field(page, dropout).GetAttribute("aria-invalid"));
        Assert.Equal("Stacked execution does not support dropout; use separate execution.", ErrorText(page, dropout));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_StackedWithBatchNorm()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        await ChooseAsync(page, ExecutionMode.Stacked);

        await SwitchAsync(page, FieldPaths.Model(0, "batchNorm"), true);

        // Example 3 has 209 parameters; batch norm adds a scale and a shift per filter: 209 + 2 x 8 = 225.
        Assert.Equal("225 parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
        Assert.Equal("225 parameters", page.Find("[data-testid=summary-count-0]").TextContent.Trim());
        Assert.False(page.Find("button[data-testid=add-matched-mlp-0]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_StackedWithDropout_KeepsParameterCount()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        Field(page, FieldPaths.Model(0, "dropout")).Change("0.2");

        await ChooseAsync(page, ExecutionMode.Stacked);

        Assert.Equal("209 parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
        Assert.False(page.Find("button[data-testid=add-matched-mlp-0]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewExperiment_StackedWithBatchNorm_MarksExecution()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        await ChooseAsync(page, ExecutionMode.Stacked);

        await SwitchAsync(page, FieldPaths.Model(0, "batchNorm"), true);

        Assert.Equal(
            "Stacked execution does not support batch normalization or dropout, which model cnn uses; "
                + "use separate execution or turn them off.",
            ExecutionErrorText(page));
        Assert.Empty(page.FindAll($".mud-alert[data-path='{FieldPaths.Training("execution")}']"));
    }

    [Fact]
    public async Task NewExperiment_SeparateAgain_ClearsExecutionMessage()
    {
        var page = RenderAt("/experiments/new?preset=article-example-3");
        await ChooseAsync(page, ExecutionMode.Stacked);
        await SwitchAsync(page, FieldPaths.Model(0, "batchNorm"), true);

        await ChooseAsync(page, ExecutionMode.Separate);

        Assert.Equal("stacked trains a cohort's seeds as one model", ExecutionErrorText(page));
        Assert.Equal("", ErrorText(page, FieldPaths.Model(0, "batchNorm")));
        Assert.False(IsMarkedInvalid(page, FieldPaths.Model(0, "batchNorm")));
        Assert.False(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_NegativeDataSeed_ShowsMessage()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("dataSeed")).Change("-1");

        Assert.Equal("Data seed must be between 0 and 2147483647; got -1.", ErrorText(page, FieldPaths.Training("dataSeed")));
        Assert.True(page.Find("[data-testid=start]").HasAttribute("disabled"));
    }

    [Fact]
    public void NewExperiment_FixedSeeds_SentInSpec()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Training("dataSeed")).Change("7");
        Field(page, FieldPaths.Training("orderSeed")).Change("0");
        page.Find("[data-testid=start]").Click();

        var training = Assert.Single(Experiments.Requests).Spec!.Training!;
        Assert.Equal(7, training.DataSeed);
        Assert.Null(training.InitSeed);
        Assert.Equal(0, training.OrderSeed);
    }

    [Fact]
    public void NewExperiment_NegativeWeightDecay_ShowsMessage()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        Field(page, FieldPaths.Model(0, "weightDecay")).Change("-0.5");

        Assert.Equal("Weight decay must be at least 0; got -0.5.", ErrorText(page, FieldPaths.Model(0, "weightDecay")));
    }

    [Fact]
    public void NewExperiment_ModelWeightDecay_SentInSpec()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='cnn-vs-mlp']").Click();

        Field(page, FieldPaths.Model(1, "weightDecay")).Change("0.01");
        page.Find("[data-testid=start]").Click();

        var models = Assert.Single(Experiments.Requests).Spec!.Models!;
        Assert.Null(models[0].WeightDecay);
        Assert.Equal(0.01, models[1].WeightDecay);
    }

    [Fact]
    public async Task NewExperiment_GlobalPool_CountsPooledParameters()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();

        await SwitchAsync(page, FieldPaths.Model(0, "globalPool"), true);
        page.Find("[data-testid=start]").Click();

        // conv 1->8 3x3 has 8*9 + 8 = 80 parameters; averaging each of the 8 maps leaves 8 inputs to one output: 9.
        Assert.Equal("89 parameters", page.Find("[data-testid=parameter-count-0]").TextContent.Trim());
        Assert.True(Assert.Single(Experiments.Requests).Spec!.Models![0].GlobalPool);
    }

    [Fact]
    public async Task NewExperiment_PixelsAndCorruptTest_SentInSpec()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='zhang-randomization']").Click();

        var pixels = page.FindComponent<SpecEnumSelect<PixelTransform>>();
        await page.InvokeAsync(() => pixels.Instance.ValueChanged.InvokeAsync(PixelTransform.Shuffled));
        await SwitchAsync(page, FieldPaths.Data("corruptTest"), true);
        page.Find("[data-testid=start]").Click();

        var data = Assert.Single(Experiments.Requests).Spec!.Data!;
        Assert.Equal(PixelTransform.Shuffled, data.Pixels);
        Assert.True(data.CorruptTest);
        Assert.Equal(7, data.Conditions!.Count);
    }

    // 60 grey 8x8 images with labels 0-2 and no test split, as POST /api/datasets describes an uploaded .npz.
    private static readonly DatasetItem Digits = new(
        "d1",
        "digits.npz",
        60,
        0,
        new ShapeSpec { Channels = 1, Height = 8, Width = 8 },
        [60, 8, 8],
        3,
        4000,
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    // MudSelect lists its options in a popover, so the tests set the value the way a picked option does.
    private static Task ChooseInputsAsync(IRenderedComponent<NewExperiment> page, InputKind inputs)
    {
        var select = page.FindComponent<SpecEnumSelect<InputKind>>();
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(inputs));
    }

    private static T? ConditionValue<T>(IRenderedComponent<NewExperiment> page, int index, string field)
        where T : struct, Enum
    {
        var path = FieldPaths.Condition(index) + "." + field;
        return page.FindComponents<ConditionEnumSelect<T>>().Single(component => component.Instance.Path == path).Instance.Value;
    }

    private static string ConditionErrorText<T>(IRenderedComponent<NewExperiment> page, int index, string field)
        where T : struct, Enum
    {
        var path = FieldPaths.Condition(index) + "." + field;
        var select = page.FindComponents<ConditionEnumSelect<T>>().Single(component => component.Instance.Path == path);
        return select.FindAll(".mud-input-helper-text").SingleOrDefault()?.TextContent.Trim() ?? "";
    }

    // The text the condition's select shows, which is also its selected option's value.
    private static string? ConditionSelectText(IRenderedComponent<NewExperiment> page, int index, string field)
    {
        var path = FieldPaths.Condition(index) + "." + field;
        return page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-path", out var value)
                && (string?)value == path)
            .Instance.GetState(select => select.Value);
    }

    private static Task ChooseConditionAsync(IRenderedComponent<NewExperiment> page, int index, string field, string text)
    {
        var path = FieldPaths.Condition(index) + "." + field;
        var select = page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-path", out var value)
                && (string?)value == path);
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(text));
    }

    private static Task ChooseAsync(IRenderedComponent<NewExperiment> page, ExecutionMode execution)
    {
        var select = page.FindComponent<SpecEnumSelect<ExecutionMode>>();
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(execution));
    }

    // MudBlazor shows a select's error text in place of its helper text.
    private static string ExecutionErrorText(IRenderedComponent<NewExperiment> page) =>
        page.FindComponent<SpecEnumSelect<ExecutionMode>>().Find(".mud-input-helper-text").TextContent.Trim();

    private static Task ChooseAsync(IRenderedComponent<NewExperiment> page, OptimizerKind optimizer)
    {
        var select = page.FindComponent<SpecEnumSelect<OptimizerKind>>();
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(optimizer));
    }

    // Changes the switch's checkbox, so MudSwitch runs its own change handling and validation as on a click.
    private static Task SwitchAsync(IRenderedComponent<NewExperiment> page, string path, bool value) =>
        Field(page, path).ChangeAsync(new ChangeEventArgs { Value = value });

    private static Task ChooseDatasetAsync(IRenderedComponent<NewExperiment> page, string id)
    {
        var select = page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-path", out var path)
                && (string?)path == FieldPaths.Data("file"));
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(id));
    }

    private static IElement Field(IRenderedComponent<NewExperiment> page, string path) =>
        page.Find($"input[data-path='{path}']");

    private static int? ConvFilters(IRenderedComponent<NewExperiment> page, int block) =>
        int.Parse(Field(page, FieldPaths.Conv(0, block, "filters")).GetAttribute("value")!);

    private static bool IsMarkedInvalid(IRenderedComponent<NewExperiment> page, string path) =>
        Field(page, path).Closest(".mud-input-control")!.QuerySelector(".mud-input-error") is not null;

    // MudBlazor writes a field's error text into the helper line of the same input control.
    private static string ErrorText(IRenderedComponent<NewExperiment> page, string path)
    {
        var control = Field(page, path).Closest(".mud-input-control")!;
        return control.QuerySelector(".mud-input-helper-text")?.TextContent ?? "";
    }
}
