using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class RunsApiTests : HostTestBase
{
    [Fact]
    public async Task Get_CompletedRun_ReturnsEveryEpochAndRunFields()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));

        var run = await Host.WaitForFinalAsync(created.Runs[0].Id);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([1, 2, 3], run.Epochs.Select(e => e.Epoch));
        Assert.Equal("cpu", run.Device);
        Assert.NotNull(run.ParameterCount);
        Assert.Equal(3, run.TotalEpochs);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task Get_Run_WritesStatusLowercaseAndNullError()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        await Host.WaitForFinalAsync(created.Runs[0].Id);

        var run = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{created.Runs[0].Id}", Cancellation);

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        Assert.True(run.GetProperty("epochs")[0].TryGetProperty("elapsedSeconds", out _));
    }

    [Fact]
    public async Task MetricsCsv_CompletedRun_HasHeaderAndOneRowPerEpoch()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));
        var run = await Host.WaitForFinalAsync(created.Runs[0].Id);

        var response = await Client.GetAsync($"/api/runs/{run.Id}/metrics.csv", Cancellation);
        var lines = (await response.Content.ReadAsStringAsync(Cancellation)).TrimEnd('\n').Split('\n');

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{run.Id}-metrics.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,seconds,elapsedSeconds", lines[0]);
        Assert.Equal(run.Epochs.Select(CsvRow), lines[1..]);
    }

    [Fact]
    public async Task MetricsCsv_WithoutTestSplit_LeavesTestCellsEmpty()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2, testSamples: 0));
        await Host.WaitForFinalAsync(created.Runs[0].Id);

        var csv = await Client.GetStringAsync($"/api/runs/{created.Runs[0].Id}/metrics.csv", Cancellation);
        var cells = csv.Split('\n')[1].Split(',');

        Assert.Equal(7, cells.Length);
        Assert.Equal("", cells[3]);
        Assert.Equal("", cells[4]);
    }

    [Fact]
    public async Task Cancel_RunningRun_Returns202AndEndsCancelled()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000));
        var runId = created.Runs[0].Id;
        await Host.WaitForRunAsync(runId, run => run.Epochs.Count > 0);

        var response = await Client.PostAsync($"/api/runs/{runId}/cancel", null, Cancellation);
        var run = await Host.WaitForFinalAsync(runId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.True(run.Epochs.Count < 100000);
    }

    [Fact]
    public async Task Get_QueuedRun_HasParameterCount()
    {
        // The first run takes the only training slot, so the second stays queued while it is read.
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000, seeds: [0, 1]));
        var queued = await Host.GetRunAsync(created.Runs[1].Id);
        await Client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);

        // 16 inputs to 4 hidden units (68), then 4 to the single output of two classes (5).
        Assert.Equal(RunStatus.Queued, queued.Status);
        Assert.Equal(73, queued.ParameterCount);
    }

    [Fact]
    public async Task Cancel_QueuedRun_Returns202AndCancelsAtOnce()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000, seeds: [0, 1]));
        var queuedId = created.Runs[1].Id;

        var response = await Client.PostAsync($"/api/runs/{queuedId}/cancel", null, Cancellation);
        var run = await Host.GetRunAsync(queuedId);
        await Client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Empty(run.Epochs);
    }

    [Fact]
    public async Task Cancel_QueuedRun_LogsItsEnd()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        using var client = host.CreateClient();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000, seeds: [0, 1]));
        var queuedId = created.Runs[1].Id;

        var response = await client.PostAsync($"/api/runs/{queuedId}/cancel", null, Cancellation);
        var messages = log.Entries.Select(entry => entry.Message).ToList();
        await client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains($"Run {queuedId} ended cancelled while queued", messages);
    }

    [Theory]
    [InlineData("separate")]
    [InlineData("stacked")]
    public async Task ClaimedRun_LogsExperimentAndCondition(string execution)
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 4, width = 4 },
                    trainSamples = 16,
                    conditions = new[] { new { name = "baseline" } },
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1, batchSize = 8, execution },
                seeds = new[] { 3 },
            },
        });
        var runId = Assert.Single(created.Runs).Id;

        await host.WaitForFinalAsync(runId);
        var messages = log.Entries.Select(entry => entry.Message).ToList();

        Assert.Contains(
            $"Run {runId} of experiment {created.Id} claimed: model mlp, condition baseline, seed 3, device cpu",
            messages);
    }

    [Fact]
    public async Task FinishedRun_LogsAccuracyWithFourDecimals()
    {
        // With three samples no accuracy (0, 1/3, 2/3 or 1) reads the same in full and with four decimals.
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new { shape = new { channels = 1, height = 2, width = 2 }, trainSamples = 3 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1, batchSize = 3 },
                seeds = new[] { 0 },
            },
        });
        var run = await host.WaitForFinalAsync(created.Runs[0].Id);
        var accuracy = run.Epochs[^1].TrainAccuracy.ToString("F4", CultureInfo.InvariantCulture);
        var expected = $"Run {run.Id} ended completed, epochs 1, final train accuracy {accuracy}";

        // The line follows the stored status, so it may come a moment after the wait ends.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!log.Entries.Any(entry => entry.Message == expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancellation);
        }

        Assert.Contains(expected, log.Entries.Select(entry => entry.Message));
    }

    [Fact]
    public async Task Cancel_CompletedRun_Returns409()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        await Host.WaitForFinalAsync(created.Runs[0].Id);

        var response = await Client.PostAsync($"/api/runs/{created.Runs[0].Id}/cancel", null, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            $"Run '{created.Runs[0].Id}' has already ended (completed). Only queued, running or interrupted runs can be cancelled.",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task List_FilteredByExperimentAndSeed_ReturnsMatchingRuns()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [5, 6]));
        await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [6]));

        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/runs?experiment={created.Id}&seed=6", Cancellation);

        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(created.Runs[1].Id, page.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.False(page.GetProperty("items")[0].TryGetProperty("epochs", out _));
    }

    [Fact]
    public async Task List_EmptyValues_FilterNothing()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));

        var page = await Client.GetFromJsonAsync<JsonElement>(
            $"/api/runs?experiment={created.Id}&model=&preset=&status=&seed=&sort=&page=&pageSize=", Cancellation);

        Assert.Equal(2, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_OldestFirst_FollowsCreationOrder()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1, 2]));

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/runs?sort=createdAt&page=1&pageSize=500", Cancellation);
        var ids = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString());

        Assert.Equal(created.Runs.Select(r => r.Id), ids);
    }

    [Fact]
    public async Task List_CompletedRun_CarriesLastEpoch()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));
        await Host.WaitForFinalAsync(created.Runs[0].Id);

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/runs", Cancellation);
        var details = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}", Cancellation);
        var item = page.GetProperty("items")[0];

        Assert.Equal(3, item.GetProperty("lastEpoch").GetInt32());
        Assert.Equal(3, item.GetProperty("totalEpochs").GetInt32());
        Assert.Equal(3, details.GetProperty("runs")[0].GetProperty("lastEpoch").GetInt32());
        Assert.Null(created.Runs[0].LastEpoch);
    }

    [Fact]
    public async Task List_ModelWithSpaces_MatchesTrimmedName()
    {
        await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/runs?model=%20mlp%20", Cancellation);

        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/experiments")]
    public async Task List_PageFarPastEnd_ReturnsEmptyPage(string path)
    {
        await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        // (5,000,000 - 1) * 500 overflows a 32-bit offset, which once wrapped round to the first page.
        var page = await Client.GetFromJsonAsync<JsonElement>($"{path}?page=5000000&pageSize=500", Cancellation);

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(5_000_000, page.GetProperty("page").GetInt32());
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_PageBeyondInt32_Returns400WithRange()
    {
        var response = await Client.GetAsync("/api/runs?page=99999999999", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["page must be a whole number from 1 to 2147483647; got '99999999999'."], errors["page"]);
    }

    [Theory]
    [InlineData("page=0", "page", "page must be a whole number from 1 to 2147483647; got '0'.")]
    [InlineData("pageSize=0", "pageSize", "pageSize must be a whole number from 1 to 500; got '0'.")]
    [InlineData("pageSize=abc", "pageSize", "pageSize must be a whole number from 1 to 500; got 'abc'.")]
    [InlineData("seed=-1", "seed", "seed must be a whole number from 0 to 2147483647; got '-1'.")]
    public async Task List_BadWholeNumber_NamesSameRule(string query, string parameter, string message)
    {
        var response = await Client.GetAsync($"/api/runs?{query}", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([message], errors[parameter]);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("status=bogus", "status")]
    [InlineData("status=Completed", "status")]
    [InlineData("seed=x", "seed")]
    [InlineData("seed=-1", "seed")]
    [InlineData("sort=-seed", "sort")]
    [InlineData("preset=article-example-9", "preset")]
    public async Task List_BadQueryValue_Returns400NamingParameter(string query, string parameter)
    {
        var response = await Client.GetAsync($"/api/runs?{query}", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(parameter, Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData("GET", "/api/runs/nosuchid")]
    [InlineData("GET", "/api/runs/nosuchid/metrics.csv")]
    [InlineData("POST", "/api/runs/nosuchid/cancel")]
    [InlineData("GET", "/api/runs/%20")]
    public async Task UnknownId_Returns404(string method, string path)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_Run_Returns405NamingExperimentDelete()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        var runId = created.Runs[0].Id;

        var response = await Client.DeleteAsync($"/api/runs/{runId}", Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var run = await Client.GetAsync($"/api/runs/{runId}", Cancellation);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", ContentType(response)?.MediaType);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
        Assert.Equal("Method not allowed.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            $"DELETE is not allowed on /api/runs/{runId}, which accepts GET, HEAD. Runs are deleted with their "
                + "experiment: DELETE /api/experiments/{experimentId} deletes an experiment and all its runs, and "
                + "GET /api/runs/{id} returns a run's experimentId.",
            problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
    }

    private static string CsvRow(RandomFit.Training.Training.EpochMetrics e) => string.Join(',',
        e.Epoch.ToString(CultureInfo.InvariantCulture),
        Cell(e.TrainLoss),
        Cell(e.TrainAccuracy),
        Cell(e.TestLoss),
        Cell(e.TestAccuracy),
        Cell(e.Seconds),
        Cell(e.ElapsedSeconds));

    private static string Cell(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
