using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Browser;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class RunAdditionsApiTests() : HostTestBase(new Dictionary<string, string?>
{
    ["RandomFit:Limits:MaxSeeds"] = "5",
})
{
    private async Task<List<RunItem>> ReadRunsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<List<RunItem>>(text, SpecJson.Options)!;
    }

    [Fact]
    public async Task AddSeeds_NewSeeds_Returns201WithQueuedRunsAndExtendsSpec()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var announced = new List<RunAddedEvent>();
        using var subscription = Host.GetService<IRunEventsFeed>().Subscribe(e =>
        {
            if (e is RunAddedEvent added)
            {
                lock (announced)
                {
                    announced.Add(added);
                }
            }
        });

        var response = await Client.PostAsJsonAsync(
            $"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 2, 3 } }, Cancellation);
        var runs = await ReadRunsAsync(response);
        var spec = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}/spec", Cancellation);

        Assert.Equal([2, 3], runs.Select(r => r.Seed));
        Assert.All(runs, r => Assert.Equal("mlp", r.Model));
        Assert.All(runs, r => Assert.Equal(created.Id, r.ExperimentId));
        Assert.Equal([0, 1, 2, 3], spec.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        lock (announced)
        {
            Assert.Equal(runs.Select(r => r.Id), announced.Select(e => e.RunId));
        }

        var finished = await Host.WaitForFinalAsync(runs[1].Id);
        Assert.Equal(RunStatus.Completed, finished.Status);
    }

    [Fact]
    public async Task AddSeeds_SpecSentBack_RecreatesEveryRun()
    {
        // /spec includes added seeds on purpose: a spec shared from the experiment recreates all of its runs.
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var before = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}/spec", Cancellation);
        await ReadRunsAsync(await Client.PostAsJsonAsync(
            $"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 4, 2 } }, Cancellation));

        var after = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}/spec", Cancellation);
        var copy = await Host.CreateExperimentAsync(new { spec = after });

        Assert.Equal([0, 1], before.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([0, 1, 4, 2], after.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(
            JsonSerializer.Serialize(WithoutSeeds(before)),
            JsonSerializer.Serialize(WithoutSeeds(after)));
        Assert.Equal([0, 1, 4, 2], copy.Runs.Select(r => r.Seed));
        Assert.All(copy.Runs, r => Assert.Equal("mlp", r.Model));
    }

    [Fact]
    public async Task AddSeeds_BadSeeds_Returns400KeyedByIndex()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));

        var response = await Client.PostAsJsonAsync(
            $"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 1, 4, 4, -1 } }, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["seeds[0]", "seeds[2]", "seeds[3]"], errors.Keys.Order());
        Assert.Equal(["Seed 1 is already in the experiment: give seeds it has not run."], errors["seeds[0]"]);
        Assert.Equal(["Seed 4 appears more than once; seeds must be distinct."], errors["seeds[2]"]);
        Assert.Equal(["Seed must be between 0 and 2147483647; got -1."], errors["seeds[3]"]);
    }

    [Fact]
    public async Task AddSeeds_OverMaxSeeds_Returns400()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1, 2]));

        var response = await Client.PostAsJsonAsync(
            $"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 3, 4, 5 } }, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["seeds"], errors.Keys);
        Assert.Contains("at most 5", errors["seeds"][0]);
    }

    [Fact]
    public async Task AddSeeds_UnknownProperty_Returns400()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var response = await Client.PostAsync(
            $"/api/experiments/{created.Id}/seeds", Json("""{"seeds": [3], "seed": 4}"""), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task AddSeeds_SeedNotInt32_Returns400WithSeedRange()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var response = await Client.PostAsync(
            $"/api/experiments/{created.Id}/seeds", Json("""{"seeds": [3000000000]}"""), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Expected a whole number from 0 to 2147483647; got the number 3000000000."], errors["seeds[0]"]);
    }

    [Fact]
    public async Task AddSeeds_UnknownExperiment_Returns404()
    {
        var response = await Client.PostAsJsonAsync("/api/experiments/nope/seeds", new { seeds = new[] { 3 } }, Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"seeds\": [1], \"x\": 1}")]
    public async Task AddSeeds_UnknownExperimentBadBody_Returns404(string body)
    {
        var response = await Client.PostAsync("/api/experiments/nope/seeds", Json(body), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Rerun_FinishedRun_Returns201WithNewRunOfSameCohort()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2, seeds: [7]));
        var original = await Host.WaitForFinalAsync(created.Runs[0].Id);

        var response = await Client.PostAsync($"/api/runs/{original.Id}/rerun", null, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        var rerun = JsonSerializer.Deserialize<RunItem>(text, SpecJson.Options)!;
        var finished = await Host.WaitForFinalAsync(rerun.Id);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/runs/{rerun.Id}", response.Headers.Location?.OriginalString);
        Assert.NotEqual(original.Id, rerun.Id);
        Assert.Equal(original.ExperimentId, rerun.ExperimentId);
        Assert.Equal("mlp", rerun.Model);
        Assert.Equal(7, rerun.Seed);
        Assert.Equal(original.Epochs, finished.Epochs, (a, b) => a.TrainLoss == b.TrainLoss);
    }

    [Fact]
    public async Task Rerun_WithBody_Returns400()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var response = await Client.PostAsync($"/api/runs/{created.Runs[0].Id}/rerun", Json("{}"), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["$"], errors.Keys);
    }

    [Fact]
    public async Task Rerun_ChunkedBody_Returns400()
    {
        // Through the in-process test server this body reached the endpoint with a length, so the test sends it to
        // Kestrel over a socket.
        await using var host = new BrowserHost();
        host.StartServer();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var create = await client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 1), Cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await create.Content.ReadAsStringAsync(Cancellation), SpecJson.Options)!;

        // A stream that cannot seek has no known length, so HttpClient sends it chunked, without a Content-Length.
        using var body = new StreamContent(new NonSeekableStream("{}"u8.ToArray()));
        body.Headers.ContentType = new("application/json");
        var response = await client.PostAsync($"/api/runs/{created.Runs[0].Id}/rerun", body, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var runs = await client.GetFromJsonAsync<JsonElement>($"/api/runs?experiment={created.Id}", Cancellation);

        Assert.Equal(["$"], errors.Keys);
        Assert.Equal(["A rerun takes no request body: it copies the model, condition and seed of the run."], errors["$"]);
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Rerun_UnknownRun_Returns404()
    {
        var response = await Client.PostAsync("/api/runs/nope/rerun", null, Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Rerun_UnknownRunWithBody_Returns404()
    {
        var response = await Client.PostAsync("/api/runs/nope/rerun", Json("{}"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Dictionary<string, JsonElement> WithoutSeeds(JsonElement spec) =>
        spec.EnumerateObject().Where(p => p.Name != "seeds").ToDictionary(p => p.Name, p => p.Value);

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
