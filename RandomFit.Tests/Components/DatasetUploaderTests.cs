using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Extensions;
using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.New;
using RandomFit.Web.Security;
using RandomFit.Web.Services;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Components;

/// <summary>Uploads on the new-experiment page, stored by the real <see cref="DatasetStore"/> in a SQLite file.</summary>
public sealed class DatasetUploaderTests : ComponentTestBase
{
    private readonly DatasetLimitsOptions _limits = new();

    private readonly SqliteDatasetStore _database;

    private readonly DatasetStore _store;

    public DatasetUploaderTests()
    {
        _database = new SqliteDatasetStore(_limits);
        _store = _database.Store;
        Services.AddSingleton<IDatasetCatalog>(_store);
        Services.AddSingleton(Options.Create(_limits));
    }

    [Fact]
    public async Task DatasetUploader_ValidNpz_SelectsNewDataset()
    {
        var page = await RenderFileInputsAsync();

        Upload(page, 0, InputFileContent.CreateFromBinary(DigitsNpz(), "digits.npz"));

        page.WaitForAssertion(() => Assert.Single(StoredDatasets()));
        var stored = Assert.Single(StoredDatasets());
        Assert.Equal(stored.Id, DatasetPicker(page).Instance.GetState(x => x.Value));
        Assert.Equal("5", Field(page, FieldPaths.Shape("height")).GetAttribute("value"));
        Assert.Equal("4", Field(page, FieldPaths.Shape("width")).GetAttribute("value"));
        Assert.Equal("6", Field(page, FieldPaths.Data("trainSamples")).GetAttribute("value"));
        Assert.Equal("3", Field(page, FieldPaths.Data("classes")).GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task DatasetUploader_TruncatedNpz_ShowsReaderError()
    {
        var truncated = DigitsNpz()[..^40];
        var expected = Assert.Throws<DatasetFormatException>(
            () => NpzReader.Read(new MemoryStream(truncated), "digits.npz", _limits.MaxDatasetBytes)).Message;
        var page = await RenderFileInputsAsync();

        Upload(page, 0, InputFileContent.CreateFromBinary(truncated, "digits.npz"));

        page.WaitForAssertion(() => Assert.Equal(expected, page.Find("[data-testid=upload-error]").TextContent));
        Assert.Empty(StoredDatasets());
        Assert.Null(DatasetPicker(page).Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task DatasetUploader_IdxPair_SelectsNewDataset()
    {
        var page = await RenderFileInputsAsync();
        var images = IdxImages(new byte[4 * 3 * 2], 4, 3, 2);
        var labels = IdxLabels([0, 1, 0, 1]);

        Upload(page, 1, InputFileContent.CreateFromBinary(images, "train-images-idx3-ubyte"));
        Upload(page, 2, InputFileContent.CreateFromBinary(labels, "train-labels-idx1-ubyte"));

        page.WaitForAssertion(() => Assert.Single(StoredDatasets()));
        var stored = Assert.Single(StoredDatasets());
        Assert.Equal("train-images-idx3-ubyte + train-labels-idx1-ubyte", stored.Name);
        Assert.Equal(stored.Id, DatasetPicker(page).Instance.GetState(x => x.Value));
        Assert.Equal("3", Field(page, FieldPaths.Shape("height")).GetAttribute("value"));
        Assert.Equal("2", Field(page, FieldPaths.Shape("width")).GetAttribute("value"));
        Assert.Equal("4", Field(page, FieldPaths.Data("trainSamples")).GetAttribute("value"));
    }

    [Fact]
    public async Task DatasetUploader_StoredIdxPair_ClearsChosenFiles()
    {
        var page = await RenderFileInputsAsync();

        Upload(page, 1, InputFileContent.CreateFromBinary(IdxImages(new byte[4 * 3 * 2], 4, 3, 2), "train-images-idx3-ubyte"));
        Upload(page, 2, InputFileContent.CreateFromBinary(IdxLabels([0, 1, 0, 1]), "train-labels-idx1-ubyte"));

        page.WaitForAssertion(() => Assert.Single(StoredDatasets()));
        var uploads = page.FindComponents<MudFileUpload<IBrowserFile>>();
        page.WaitForAssertion(() => Assert.Null(uploads[1].Instance.GetState(x => x.Files)));
        Assert.Null(uploads[2].Instance.GetState(x => x.Files));
        Assert.DoesNotContain("train-images-idx3-ubyte", uploads[1].Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("train-labels-idx1-ubyte", uploads[2].Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=upload-pending]"));
    }

    [Fact]
    public async Task DatasetUploader_LabelsAfterStoredPair_NamesMissingImages()
    {
        var page = await RenderFileInputsAsync();
        Upload(page, 1, InputFileContent.CreateFromBinary(IdxImages(new byte[4 * 3 * 2], 4, 3, 2), "train-images-idx3-ubyte"));
        Upload(page, 2, InputFileContent.CreateFromBinary(IdxLabels([0, 1, 0, 1]), "train-labels-idx1-ubyte"));
        page.WaitForAssertion(() => Assert.Single(StoredDatasets()));

        Upload(page, 2, InputFileContent.CreateFromBinary(IdxLabels([1, 1, 0, 0]), "other-labels-idx1-ubyte"));

        page.WaitForAssertion(() => Assert.Equal(
            "Labels file other-labels-idx1-ubyte chosen. Choose the images (IDX) file to upload the pair.",
            page.Find("[data-testid=upload-pending]").TextContent.Trim()));
        Assert.Single(StoredDatasets());
        Assert.Empty(page.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task DatasetUploader_ImagesOnly_NamesMissingLabels()
    {
        var page = await RenderFileInputsAsync();

        Upload(page, 1, InputFileContent.CreateFromBinary(IdxImages(new byte[4], 1, 2, 2), "images-idx3-ubyte"));

        page.WaitForAssertion(() => Assert.Equal(
            "Images file images-idx3-ubyte chosen. Choose the labels (IDX) file to upload the pair.",
            page.Find("[data-testid=upload-pending]").TextContent.Trim()));
    }

    [Fact]
    public async Task DatasetUploader_RemovedChip_DropsFile()
    {
        var page = await RenderFileInputsAsync();
        Upload(page, 1, InputFileContent.CreateFromBinary(IdxImages(new byte[4], 1, 2, 2), "images-idx3-ubyte"));
        page.WaitForElement("[data-testid=upload-pending]");

        page.FindComponents<MudFileUpload<IBrowserFile>>()[1].Find(".mud-chip-close-button").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=upload-pending]")));
        Assert.DoesNotContain("images-idx3-ubyte", page.FindComponents<MudFileUpload<IBrowserFile>>()[1].Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task DatasetUploader_ImagesOnly_StoresNothing()
    {
        var page = await RenderFileInputsAsync();

        Upload(page, 1, InputFileContent.CreateFromBinary(IdxImages(new byte[4], 1, 2, 2), "images-idx3-ubyte"));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
        Assert.Empty(StoredDatasets());
        Assert.Empty(page.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task DatasetUploader_FileOverLimit_ShowsLimit()
    {
        _limits.MaxDatasetBytes = 100;
        var page = await RenderFileInputsAsync();

        Upload(page, 0, InputFileContent.CreateFromBinary(DigitsNpz(), "digits.npz"));

        page.WaitForAssertion(() => Assert.Equal(
            "The upload exceeds 100 bytes (RandomFit:Limits:MaxDatasetBytes).",
            page.Find("[data-testid=upload-error]").TextContent));
        Assert.Empty(StoredDatasets());
    }

    [Fact]
    public async Task DatasetUploader_SignInRequired_ShowsSignInLink()
    {
        UseSignIn("true");

        var page = await RenderFileInputsAsync();

        Assert.Empty(page.FindComponents<InputFile>());
        Assert.Contains(
            page.FindAll("[data-testid=sign-in-to-start]"),
            link => link.TextContent.Trim() == "Sign in to upload or delete datasets");
    }

    // 6 grey 5x4 images with labels 0-2 and no test split.
    private static byte[] DigitsNpz() => Npz(
        ("x", Npy(Enumerable.Range(0, 6 * 5 * 4).Select(i => i / 120f).ToArray(), 6, 5, 4)),
        ("y", Npy(new long[] { 0, 1, 2, 0, 1, 2 })));

    private async Task<IRenderedComponent<NewExperiment>> RenderFileInputsAsync()
    {
        var page = Render<NewExperiment>();
        page.Find("[data-preset='article-example-3']").Click();
        var select = page.FindComponent<SpecEnumSelect<InputKind>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(InputKind.File));
        return page;
    }

    // The uploader renders three file uploads: the .npz file, then the IDX images and labels. Each selection adds
    // a fresh input to its upload, so the last input is the live one.
    private static void Upload(IRenderedComponent<NewExperiment> page, int upload, InputFileContent file) =>
        page.FindComponents<MudFileUpload<IBrowserFile>>()[upload].FindComponents<InputFile>()[^1].UploadFiles(file);

    private List<DatasetItem> StoredDatasets() => _database.Datasets();

    private static IRenderedComponent<MudSelect<string>> DatasetPicker(IRenderedComponent<NewExperiment> page) =>
        page.FindComponents<MudSelect<string>>()
            .Single(component => component.Instance.UserAttributes.TryGetValue("data-path", out var path)
                && (string?)path == FieldPaths.Data("file"));

    private static IElement Field(IRenderedComponent<NewExperiment> page, string path) =>
        page.Find($"input[data-path='{path}']");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database.Dispose();
    }
}
