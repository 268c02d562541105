using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;
using static RandomFit.Tests.Api.ApiResponses;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class DatasetsApiTests() : HostTestBase(new Dictionary<string, string?>
{
    ["RandomFit:Limits:MaxDatasetBytes"] = "200000",
})
{
    private static MultipartFormDataContent Form(params (string Field, string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, fileName, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, field, fileName);
        }

        return form;
    }

    // A multipart body written by hand with the boundary "upload", for forms that HttpClient's builder cannot produce.
    private static ByteArrayContent RawForm(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=upload");
        return content;
    }

    private async Task<DatasetItem> UploadAsync(byte[] npz)
    {
        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<DatasetItem>(text, SpecJson.Options)!;
    }

    // Two classes that a linear model separates: class 0 pixels lie in [0, 0.3), class 1 pixels in [0.7, 1).
    private static (float[] Inputs, long[] Labels) Separable(int count, int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray();
        var inputs = labels
            .SelectMany(label => Enumerable.Range(0, 16).Select(_ => (float)((label * 0.7) + (random.NextDouble() * 0.3))))
            .ToArray();
        return (inputs, labels);
    }

    [Fact]
    public async Task Post_Npz_Returns201WithShapeAndClasses()
    {
        var npz = Npz(
            ("x", Npy(new float[5 * 3 * 4 * 2], 5, 3, 4, 2)),
            ("y", Npy(new long[] { 0, 1, 2, 3, 0 })),
            ("x_test", Npy(new float[2 * 3 * 4 * 2], 2, 3, 4, 2)),
            ("y_test", Npy(new long[] { 1, 1 })));

        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var root = body.RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/datasets/{root.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal(5, root.GetProperty("samples").GetInt32());
        Assert.Equal(2, root.GetProperty("testSamples").GetInt32());
        Assert.Equal(4, root.GetProperty("classes").GetInt32());
        Assert.Equal(
            """{"channels":3,"height":4,"width":2}""",
            root.GetProperty("shape").GetRawText());
    }

    [Fact]
    public async Task Post_IdxImagesAndLabels_Returns201()
    {
        var form = Form(
            ("images", "train-images-idx3-ubyte", IdxImages(new byte[3 * 5 * 6], 3, 5, 6)),
            ("labels", "train-labels-idx1-ubyte", IdxLabels([9, 0, 1])));

        var response = await Client.PostAsync("/api/datasets", form, Cancellation);
        var created = JsonSerializer.Deserialize<DatasetItem>(await response.Content.ReadAsStringAsync(Cancellation), SpecJson.Options)!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((3, 0, 10), (created.Samples, created.TestSamples, created.Classes));
        Assert.Equal((1, 5, 6), (created.Shape.Channels, created.Shape.Height, created.Shape.Width));
    }

    [Fact]
    public async Task Post_TruncatedNpz_Returns400WithFileKey()
    {
        var npz = Npz(("x", Npy("<f4", [100, 3, 100, 100], new byte[4096])), ("y", Npy(new long[100])));

        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["x.npy in data.npz is truncated: the header declares 100x3x100x100 float32 (12,000,000 bytes) but 4,096 bytes follow."],
            errors["file"]);
    }

    [Fact]
    public async Task Post_ShapeBeyondAnyNumberType()
    {
        long[] shape = [9_000_000_000_000_000_000, 9_000_000_000_000_000_000];
        var npz = Npz(("x", Npy("<f4", shape, new byte[8])), ("y", Npy(new long[2])));

        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.StartsWith("x.npy in data.npz is truncated: the header declares 9000000000000000000x9000000000000000000", errors["file"][0]);
    }

    [Fact]
    public async Task Post_WidthBeyondSpecLimit()
    {
        var npz = Npz(("x", Npy(new byte[2 * 5000], 2, 5000)), ("y", Npy(new long[] { 0, 1 })));

        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetFromJsonAsync<List<DatasetItem>>("/api/datasets", SpecJson.Options, Cancellation);

        Assert.Equal(
            ["x has shape [2, 5000], so each sample has width 5000 (the features of [N, features] are the width), "
                + "but a spec's data.shape allows a width of at most 1024. Reduce that dimension and upload again."],
            errors["file"]);
        Assert.Empty(list!);
    }

    [Fact]
    public async Task Post_IdxHeightBeyondSpecLimit()
    {
        var form = Form(
            ("images", "images.idx", IdxImages(new byte[1025], 1, 1025, 1)),
            ("labels", "labels.idx", IdxLabels([0])));

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(
            ["images.idx has shape [1, 1025, 1], so each sample has height 1025, but a spec's data.shape allows a "
                + "height of at most 1024. Reduce that dimension and upload again."],
            errors["file"]);
    }

    [Fact]
    public async Task Post_GzipImagesCutInTrailer()
    {
        var images = Gzip(IdxImages(new byte[3 * 5 * 6], 3, 5, 6));
        var form = Form(
            ("images", "train-images-idx3-ubyte.gz", images[..^4]),
            ("labels", "train-labels-idx1-ubyte", IdxLabels([9, 0, 1])));

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(
            ["train-images-idx3-ubyte.gz is gzip-compressed but truncated or corrupted: its gzip trailer (CRC-32 and "
                + "length) does not match the decompressed data. Send the complete file again."],
            errors["file"]);
    }

    [Fact]
    public async Task Post_JsonBody_Returns400WithFileKey()
    {
        var response = await Client.PostAsync("/api/datasets", Json("{}"), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Send multipart/form-data with one .npz file in a form field named file, or two IDX files in form fields "
                + "named images and labels. "
                + "Got Content-Type 'application/json; charset=utf-8'."],
            errors["file"]);
    }

    [Fact]
    public async Task Post_MultipartWithoutBoundary_Returns400NamingIt()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("x"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");

        var response = await Client.PostAsync("/api/datasets", content, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Send multipart/form-data with one .npz file in a form field named file, or two IDX files in form fields "
                + "named images and labels. "
                + "The Content-Type 'multipart/form-data' has no boundary parameter, so the form's parts cannot be "
                + "found. Let the HTTP client build the form and its header, as curl -F does."],
            errors["file"]);
    }

    [Fact]
    public async Task Post_MultipartCutShort_Returns400AndLogsCause()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        using var client = host.CreateClient();
        var content = RawForm(
            "--upload\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.npz\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\nPK\u0003\u0004 the rest of the file is missing");

        var errors = await ReadValidationErrorsAsync(await client.PostAsync("/api/datasets", content, Cancellation));

        Assert.Equal(
            ["The upload was incomplete: the request body ended before the whole form arrived. Send the file again."],
            errors["file"]);
        var cause = Assert.Single(
            log.Entries,
            entry => entry.Message.StartsWith("Dataset upload incomplete", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, cause.Level);
        Assert.StartsWith("Dataset upload incomplete on /api/datasets: Unexpected end of Stream", cause.Message);
    }

    [Fact]
    public async Task Post_ImagesWithoutLabels_Returns400NamingLabels()
    {
        var form = Form(("images", "images.idx", IdxImages(new byte[4], 1, 2, 2)));

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(["labels"], errors.Keys);
        Assert.Equal(
            ["The labels file is missing. An IDX upload sends images and labels together, and only images.idx arrived, in field images."],
            errors["labels"]);
    }

    [Fact]
    public async Task Post_FolderNameWithoutLabels_SaysFileWithoutName()
    {
        var content = RawForm(
            "--upload\r\nContent-Disposition: form-data; name=\"images\"; filename=\"folder/\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\nIDX\r\n--upload--\r\n");

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", content, Cancellation));

        Assert.Equal(
            ["The labels file is missing. An IDX upload sends images and labels together, and only a file without a name arrived, in field images."],
            errors["labels"]);
    }

    [Fact]
    public async Task Post_LabelsWithoutImages_Returns400NamingImages()
    {
        var form = Form(("labels", "labels.idx", [0, 0, 8, 1, 0, 0, 0, 1, 0]));

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(["images"], errors.Keys);
        Assert.Equal(
            ["The images file is missing. An IDX upload sends images and labels together, and only labels.idx arrived, in field labels."],
            errors["images"]);
    }

    [Fact]
    public async Task Post_LongFileName_ShortenedInMessage()
    {
        var fileName = new string('n', 1000) + ".idx";
        var form = Form(("labels", fileName, [0, 0, 8, 1, 0, 0, 0, 1, 0]));

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(
            [$"The images file is missing. An IDX upload sends images and labels together, and only {fileName[..64]}… "
                + "(1,004 characters) arrived, in field labels."],
            errors["images"]);
    }

    [Fact]
    public async Task Post_NpzInUnknownField_Returns400NamingField()
    {
        var npz = Npz(("x", Npy(new float[4], 2, 2)), ("y", Npy(new long[] { 0, 1 })));

        var response = await Client.PostAsync("/api/datasets", Form(("other", "data.npz", npz)), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetFromJsonAsync<List<DatasetItem>>("/api/datasets", SpecJson.Options, Cancellation);

        Assert.Equal(["other"], errors.Keys);
        Assert.Equal(
            ["Unknown form field 'other': use file for a .npz file, or images and labels for IDX files."],
            errors["other"]);
        Assert.Empty(list!);
    }

    [Fact]
    public async Task Post_LongUnknownField_ShortenedInKeyAndMessage()
    {
        var npz = Npz(("x", Npy(new float[4], 2, 2)), ("y", Npy(new long[] { 0, 1 })));
        var field = new string('f', 1000);

        var response = await Client.PostAsync("/api/datasets", Form((field, "data.npz", npz)), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var key = new string('f', 64) + "…";
        Assert.Equal([key], errors.Keys);
        Assert.Equal(
            [$"Unknown form field '{key}' (1,000 characters): use file for a .npz file, or images and labels for IDX files."],
            errors[key]);
    }

    [Fact]
    public async Task Post_UnknownFieldBesideFile_Returns400NamingEachField()
    {
        var npz = Npz(("x", Npy(new float[4], 2, 2)), ("y", Npy(new long[] { 0, 1 })));
        var form = Form(("file", "data.npz", npz), ("Images", "images.idx", IdxImages(new byte[4], 1, 2, 2)));
        form.Add(new StringContent("my data"), "name");

        var errors = await ReadValidationErrorsAsync(await Client.PostAsync("/api/datasets", form, Cancellation));

        Assert.Equal(["Images", "name"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Unknown form field 'Images': use file for a .npz file, or images and labels for IDX files."],
            errors["Images"]);
        Assert.Equal(
            ["Unknown form field 'name': use file for a .npz file, or images and labels for IDX files."],
            errors["name"]);
    }

    [Fact]
    public async Task Post_OverLimit_Returns413()
    {
        var npz = Npz(("x", Npy(new float[60_000], 60_000, 1)), ("y", Npy(new long[60_000])));

        var response = await Client.PostAsync("/api/datasets", Form(("file", "data.npz", npz)), Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_AfterUpload_ListsAndReturnsDataset()
    {
        var created = await UploadAsync(Npz(("x", Npy(new float[4], 2, 2)), ("y", Npy(new long[] { 0, 1 }))));

        var list = await Client.GetFromJsonAsync<List<DatasetItem>>("/api/datasets", SpecJson.Options, Cancellation);
        var fetched = await Client.GetFromJsonAsync<DatasetItem>($"/api/datasets/{created.Id}", SpecJson.Options, Cancellation);
        var missing = await Client.GetAsync("/api/datasets/nope", Cancellation);

        Assert.Equal([created.Id], list!.Select(d => d.Id));
        Assert.Equal("data.npz", fetched!.Name);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Delete_UnusedDataset_Returns204ThenNotFound()
    {
        var created = await UploadAsync(Npz(("x", Npy(new float[4], 2, 2)), ("y", Npy(new long[] { 0, 1 }))));

        var deleted = await Client.DeleteAsync($"/api/datasets/{created.Id}", Cancellation);
        var fetched = await Client.GetAsync($"/api/datasets/{created.Id}", Cancellation);
        var again = await Client.DeleteAsync($"/api/datasets/{created.Id}", Cancellation);
        var list = await Client.GetFromJsonAsync<List<DatasetItem>>("/api/datasets", SpecJson.Options, Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fetched.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal($"No dataset has id '{created.Id}'.", await ReadProblemDetailAsync(again));
        Assert.Empty(list!);
    }

    [Fact]
    public async Task Delete_UsedDataset_Returns409()
    {
        var created = await UploadAsync(Npz(("x", Npy(new float[16], 4, 4)), ("y", Npy(new long[] { 0, 1, 0, 1 }))));
        var experiment = await Host.CreateExperimentAsync(new
        {
            spec = new
            {
                name = "on the upload",
                data = new { shape = new { channels = 1, height = 1, width = 4 }, trainSamples = 4, inputs = "file", file = created.Id },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1 },
            },
        });
        await Host.WaitForFinalAsync(experiment.Runs[0].Id);

        var rejected = await Client.DeleteAsync($"/api/datasets/{created.Id}", Cancellation);
        var stillStored = await Client.GetAsync($"/api/datasets/{created.Id}", Cancellation);
        await Client.DeleteAsync($"/api/experiments/{experiment.Id}", Cancellation);
        var deleted = await Client.DeleteAsync($"/api/datasets/{created.Id}", Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, rejected.StatusCode);
        Assert.Equal(
            $"Dataset '{created.Id}' cannot be deleted, because 1 experiment uses it: {experiment.Id} (\"on the upload\"). "
                + "Delete that experiment first; its runs rerun and resume from this dataset.",
            await ReadProblemDetailAsync(rejected));
        Assert.Equal(HttpStatusCode.OK, stillStored.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Delete_DatasetOfCondition_Returns409()
    {
        var created = await UploadAsync(Npz(("x", Npy(new float[16], 4, 4)), ("y", Npy(new long[] { 0, 1, 0, 1 }))));
        var experiment = await Host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 1, width = 4 },
                    trainSamples = 4,
                    conditions = new object[]
                    {
                        new { name = "noise" },
                        new { name = "upload", inputs = "file", file = created.Id },
                    },
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1 },
            },
        });

        var rejected = await Client.DeleteAsync($"/api/datasets/{created.Id}", Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, rejected.StatusCode);
        Assert.Contains($"1 experiment uses it: {experiment.Id} ", await ReadProblemDetailAsync(rejected));
    }

    [Fact]
    public void InUseMessage_FiveExperiments_NamesFirstThree()
    {
        var users = Enumerable.Range(1, 5).Select(i => new DatasetUser($"e{i}", $"run {i}")).ToList();

        var message = DatasetsApi.InUseMessage("d1", users);

        Assert.Equal(
            "Dataset 'd1' cannot be deleted, because 5 experiments use it: e1 (\"run 1\"), e2 (\"run 2\"), e3 (\"run 3\") "
                + "and 2 more. Delete those experiments first; their runs rerun and resume from this dataset.",
            message);
    }

    [Fact]
    public async Task PostExperiment_SingleImageArray_Returns400NamingShapes()
    {
        var created = await UploadAsync(Npz(("x", Npy(new byte[100 * 100 * 3], 100, 100, 3)), ("y", Npy(new long[100]))));
        var body = new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 3, height = 100, width = 100 },
                    trainSamples = 100,
                    inputs = "file",
                    file = created.Id,
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1 },
            },
        };

        var response = await Client.PostAsJsonAsync("/api/experiments", body, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["x has shape [100, 100, 3]; expected [N, 3, 100, 100] (N samples, channels first). "
                + "A single image-shaped array is one sample, not 100."],
            errors["spec.data.file"]);
    }

    [Fact]
    public async Task PostExperiment_UnknownDataset_LogsRejectedField()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        using var client = host.CreateClient();
        var body = new
        {
            spec = new
            {
                data = new { shape = new { channels = 1, height = 2, width = 2 }, trainSamples = 4, inputs = "file", file = "nosuchset" },
                models = new object[] { new { name = "mlp", kind = "mlp" } },
                training = new { epochs = 1 },
            },
        };

        var response = await client.PostAsJsonAsync("/api/experiments", body, Cancellation);
        await ReadValidationErrorsAsync(response);

        var rejection = Assert.Single(log.Entries, entry => entry.Category == typeof(ExperimentsApi).FullName);
        Assert.Equal(
            "Experiment request rejected: spec.data.file: Dataset \"nosuchset\" was not found; upload it with "
            + "POST /api/datasets and use the id it returns.",
            rejection.Message);
    }

    // A random-input control beside an uploaded dataset: the uniform condition must not inherit the dataset's id.
    [Fact]
    public async Task Train_UniformConditionBesideUpload_CompletesBoth()
    {
        var (train, trainLabels) = Separable(40, seed: 1);
        var created = await UploadAsync(Npz(("x", Npy(train, 40, 1, 4, 4)), ("y", Npy(trainLabels))));
        var body = new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 4, width = 4 },
                    trainSamples = 40,
                    inputs = "file",
                    labels = "true",
                    file = created.Id,
                    conditions = new object[]
                    {
                        new { name = "uploaded" },
                        new { name = "uniform", inputs = "uniform", labels = "random" },
                    },
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1 },
            },
        };

        var experiment = await Host.CreateExperimentAsync(body);
        var runs = new List<RunDetails>();
        foreach (var run in experiment.Runs)
        {
            runs.Add(await Host.WaitForFinalAsync(run.Id));
        }

        Assert.Equal(["uploaded", "uniform"], runs.Select(run => run.Condition));
        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
    }

    private async Task<object> SeparableExperimentAsync(string execution, int[] seeds)
    {
        var (train, trainLabels) = Separable(40, seed: 1);
        var (test, testLabels) = Separable(20, seed: 2);
        var created = await UploadAsync(Npz(
            ("x", Npy(train, 40, 1, 4, 4)),
            ("y", Npy(trainLabels)),
            ("x_test", Npy(test, 20, 1, 4, 4)),
            ("y_test", Npy(testLabels))));
        return new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 4, width = 4 },
                    trainSamples = 40,
                    testSamples = 20,
                    inputs = "file",
                    labels = "true",
                    standardize = true,
                    file = created.Id,
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 8 } } },
                training = new { epochs = 30, batchSize = 8, learningRate = 0.01, execution },
                seeds,
            },
        };
    }

    [Fact]
    public async Task Train_UploadedSeparableSet_FitsTrainAndTest()
    {
        var experiment = await Host.CreateExperimentAsync(await SeparableExperimentAsync("separate", [0]));

        var run = await Host.WaitForFinalAsync(experiment.Runs[0].Id);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1.0, run.Epochs[^1].TrainAccuracy);
        Assert.Equal(1.0, run.Epochs[^1].TestAccuracy);
    }

    [Fact]
    public async Task Train_StackedOnUploadedSet_FitsEverySeed()
    {
        var experiment = await Host.CreateExperimentAsync(await SeparableExperimentAsync("stacked", [0, 1]));

        var runs = new List<RunDetails>();
        foreach (var created in experiment.Runs)
        {
            runs.Add(await Host.WaitForFinalAsync(created.Id));
        }

        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
        Assert.All(runs, run => Assert.Equal(1.0, run.Epochs[^1].TrainAccuracy));
    }
}
