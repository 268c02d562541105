using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Extensions;
using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.New;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Components;

/// <summary>
/// Deleting uploads from the new-experiment page, through the real <see cref="DatasetStore"/> in a SQLite file,
/// so the store checks the experiments stored next to the datasets as it does for <c>DELETE /api/datasets/{id}</c>.
/// </summary>
public sealed class DatasetDeleteTests : ComponentTestBase
{
    private readonly DatasetLimitsOptions _limits = new();

    private readonly SqliteDatasetStore _database;

    public DatasetDeleteTests()
    {
        _database = new SqliteDatasetStore(_limits);
        Services.AddSingleton<IDatasetCatalog>(_database.Store);
        Services.AddSingleton(Options.Create(_limits));
    }

    private static CancellationToken Cancellation => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task DatasetDelete_UnusedSelectedUpload_RemovesIt()
    {
        var remaining = await StoreAsync("remaining.npz");
        var deleted = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();
        await page.InvokeAsync(() => DatasetPicker(page).Instance.ValueChanged.InvokeAsync(deleted.Id));

        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        var question = Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset-question]")!.TextContent.Trim();
        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        Assert.Equal("Delete the dataset 'digits.npz'? This cannot be undone.", question);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"tr[data-dataset-id='{deleted.Id}']")));
        Assert.Equal([remaining.Id], _database.Datasets().Select(dataset => dataset.Id));
        Assert.Equal([remaining.Id], ListedIds(page));
        Assert.Null(DatasetPicker(page).Instance.GetState(x => x.Value));
        Assert.Equal(
            "Choose a dataset from the list, or upload a .npz file or an IDX pair below.",
            DatasetPicker(page).Instance.GetState(x => x.ErrorText));
        Assert.Empty(page.FindAll("[data-testid=delete-dataset-error]"));
    }

    // A condition that keeps the inputs above trains on the picker's dataset, which shows the missing-file message.
    [Fact]
    public async Task DatasetDelete_SelectedUpload_ConditionRowStaysClear()
    {
        var deleted = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();
        await page.InvokeAsync(() => DatasetPicker(page).Instance.ValueChanged.InvokeAsync(deleted.Id));
        page.Find("button[data-testid=add-condition]").Click();

        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        page.WaitForAssertion(() => Assert.Empty(ListedIds(page)));
        Assert.Equal(
            "Choose a dataset from the list, or upload a .npz file or an IDX pair below.",
            DatasetPicker(page).Instance.GetState(x => x.ErrorText));
        Assert.Single(page.FindAll("[data-condition-index]"));
        Assert.Empty(page.FindAll("[data-condition-index] .mud-alert"));
    }

    [Fact]
    public async Task DatasetDelete_OtherUpload_KeepsSelection()
    {
        var selected = await StoreAsync("selected.npz");
        var deleted = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();
        await page.InvokeAsync(() => DatasetPicker(page).Instance.ValueChanged.InvokeAsync(selected.Id));

        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, deleted.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        page.WaitForAssertion(() => Assert.Equal([selected.Id], ListedIds(page)));
        Assert.Equal(selected.Id, DatasetPicker(page).Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task DatasetDelete_UsedUpload_ShowsExperiments()
    {
        var dataset = await StoreAsync("digits.npz");
        await StoreExperimentAsync("e1", "on the upload", dataset.Id);
        var page = await RenderFileInputsAsync();

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        page.WaitForAssertion(() => Assert.Equal(
            $"Dataset '{dataset.Id}' cannot be deleted, because 1 experiment uses it: e1 (\"on the upload\"). "
                + "Delete that experiment first; its runs rerun and resume from this dataset.",
            page.Find("[data-testid=delete-dataset-error]").TextContent));
        Assert.Equal([dataset.Id], _database.Datasets().Select(stored => stored.Id));
        Assert.Equal([dataset.Id], ListedIds(page));
        Assert.Empty(page.FindAll("[data-testid=delete-dataset-question]"));
    }

    [Fact]
    public async Task DatasetDelete_Keep_StoresUpload()
    {
        var dataset = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-keep]")!.Click();

        Assert.Empty(page.FindAll("[data-testid=delete-dataset-question]"));
        Assert.Equal([dataset.Id], _database.Datasets().Select(stored => stored.Id));
        Assert.Equal([dataset.Id], ListedIds(page));
    }

    // Asking replaces the row's delete button, so without moving focus a keyboard user is left on the page's body.
    [Fact]
    public async Task DatasetDelete_Ask_FocusesConfirm()
    {
        var dataset = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();

        var confirm = Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!;
        page.WaitForAssertion(() => Assert.Equal(ElementReferenceId(confirm), LastFocusedId()));
    }

    [Fact]
    public async Task DatasetDelete_Keep_FocusesDeleteButton()
    {
        var dataset = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-keep]")!.Click();

        var delete = Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!;
        page.WaitForAssertion(() => Assert.Equal(ElementReferenceId(delete), LastFocusedId()));
    }

    [Fact]
    public async Task DatasetDelete_UsedUpload_FocusesDeleteButton()
    {
        var dataset = await StoreAsync("digits.npz");
        await StoreExperimentAsync("e1", "on the upload", dataset.Id);
        var page = await RenderFileInputsAsync();

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=delete-dataset-error]")));
        var delete = Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!;
        page.WaitForAssertion(() => Assert.Equal(ElementReferenceId(delete), LastFocusedId()));
    }

    [Fact]
    public async Task DatasetDelete_DeletedElsewhere_DropsUpload()
    {
        var dataset = await StoreAsync("digits.npz");
        var page = await RenderFileInputsAsync();
        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset]")!.Click();
        await _database.Store.DeleteAsync(dataset.Id, Cancellation);

        Row(page, dataset.Id).QuerySelector("[data-testid=delete-dataset-confirm]")!.Click();

        page.WaitForAssertion(() => Assert.Equal(
            "Dataset 'digits.npz' was already deleted, so it is no longer listed.",
            page.Find("[data-testid=delete-dataset-error]").TextContent));
        Assert.Empty(ListedIds(page));
    }

    [Fact]
    public async Task DatasetDelete_SignInRequired_OffersNoDelete()
    {
        UseSignIn("true");
        await StoreAsync("digits.npz");

        var page = await RenderFileInputsAsync();

        Assert.Empty(page.FindAll("[data-testid=delete-dataset]"));
        Assert.Empty(page.FindAll("[data-testid=uploaded-datasets]"));
        Assert.Contains(
            page.FindAll("[data-testid=sign-in-to-start]"),
            link => link.TextContent.Trim() == "Sign in to upload or delete datasets");
    }

    // 6 grey 5x4 images with labels 0-2 and no test split.
    private Task<DatasetItem> StoreAsync(string name)
    {
        var npz = Npz(
            ("x", Npy(Enumerable.Range(0, 6 * 5 * 4).Select(i => i / 120f).ToArray(), 6, 5, 4)),
            ("y", Npy(new long[] { 0, 1, 2, 0, 1, 2 })));
        return _database.Store.CreateAsync(new DatasetUpload(DatasetFormats.Npz, name, npz, null, null), Cancellation);
    }

    private async Task StoreExperimentAsync(string id, string name, string datasetId)
    {
        var spec = new ExperimentSpec
        {
            Name = name,
            Data = new DataSpec
            {
                Shape = new ShapeSpec { Channels = 1, Height = 5, Width = 4 },
                TrainSamples = 6,
                Classes = 3,
                Inputs = InputKind.File,
                File = datasetId,
            },
            Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [4] }],
        };
        await using var db = await _database.DbFactory.CreateDbContextAsync(Cancellation);
        db.Experiments.Add(new ExperimentEntity
        {
            Id = id,
            Name = name,
            CreatedAt = DateTimeOffset.UtcNow,
            Sequence = 1,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        });
        await db.SaveChangesAsync(Cancellation);
    }

    private async Task<IRenderedComponent<NewExperiment>> RenderFileInputsAsync()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        var select = page.FindComponent<SpecEnumSelect<InputKind>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(InputKind.File));
        return page;
    }

    // bUnit renders a captured element reference as this attribute, and records FocusAsync calls with the reference.
    private static string? ElementReferenceId(AngleSharp.Dom.IElement element) =>
        element.GetAttribute("blazor:elementReference");

    private string? LastFocusedId() =>
        JSInterop.Invocations
            .Where(invocation => invocation.Identifier == "Blazor._internal.domWrapper.focus")
            .Select(invocation => ((Microsoft.AspNetCore.Components.ElementReference)invocation.Arguments[0]!).Id)
            .LastOrDefault();

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<NewExperiment> page, string id) =>
        page.Find($"tr[data-dataset-id='{id}']");

    private static List<string> ListedIds(IRenderedComponent<NewExperiment> page) =>
        [.. page.FindAll("tr[data-dataset-id]").Select(row => row.GetAttribute("data-dataset-id")!)];

    private static IRenderedComponent<MudSelect<string>> DatasetPicker(IRenderedComponent<NewExperiment> page) =>
        page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-path", out var path)
                && (string?)path == FieldPaths.Data("file"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database.Dispose();
    }
}
