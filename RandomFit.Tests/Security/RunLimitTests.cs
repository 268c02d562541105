using System.Net;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Web.Security;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Security;

/// <summary>The per-starter run limit on the real host, with three runs a minute.</summary>
[Collection(TorchCollection.Name)]
public sealed class RunLimitTests() : HostTestBase(new Dictionary<string, string?>
{
    ["RandomFit:RateLimit:RunsPerMinute"] = "3",
})
{
    [Fact]
    public async Task Post_OverRunLimit_Returns429()
    {
        var first = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));

        var second = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [2, 3]));
        using var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("application/problem+json", ContentType(second)?.MediaType);
        Assert.InRange(second.Headers.RetryAfter?.Delta?.TotalSeconds ?? -1, 1, 60);
        Assert.Equal(RunLimitExceptionHandler.Title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.RootElement.GetProperty("type").GetString());
        Assert.StartsWith(
            "This request would start 2 runs but only 1 of 3 per minute remain (RandomFit:RateLimit:RunsPerMinute).",
            problem.RootElement.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MoreRunsThanWholeLimit_Returns400StoresNothing()
    {
        var response = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1, 2, 3]));
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetStringAsync("/api/experiments", Cancellation);

        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal(
            ["This request would start 4 runs, but one starter may start at most 3 runs per minute "
                + "(RandomFit:RateLimit:RunsPerMinute). Start fewer seeds, models or conditions in one request and "
                + "add seeds in later requests, or raise the setting."],
            errors["$"]);
        Assert.Equal(0, JsonDocument.Parse(list).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_RunLimit_CountsRunsNotRequests()
    {
        await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));

        var third = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [2]));
        var fourth = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [3]));

        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
    }

    [Fact]
    public async Task Post_BadBodyAtLimit_Returns400()
    {
        await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1, 2]));

        var bad = await Client.PostAsync("/api/experiments", Json("""{"preset": "no-such-preset"}"""), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Seeds_OverRunLimit_Returns429AfterValidation()
    {
        var created = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1]));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Cancellation)).RootElement
            .GetProperty("id").GetString();

        var invalid = await Client.PostAsync($"/api/experiments/{id}/seeds", Json("{\"seeds\": [-1, 5]}"), Cancellation);
        var over = await Client.PostAsync($"/api/experiments/{id}/seeds", Json("{\"seeds\": [5, 6]}"), Cancellation);
        var fits = await Client.PostAsync($"/api/experiments/{id}/seeds", Json("{\"seeds\": [5]}"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
    }

    [Fact]
    public async Task Rerun_AtRunLimit_Returns429()
    {
        var created = await PostAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [0, 1, 2]));
        var runId = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Cancellation)).RootElement
            .GetProperty("runs")[0].GetProperty("id").GetString();

        var rerun = await Client.PostAsync($"/api/runs/{runId}/rerun", null, Cancellation);

        Assert.Equal(HttpStatusCode.TooManyRequests, rerun.StatusCode);
        Assert.NotNull(rerun.Headers.RetryAfter);
    }

    private Task<HttpResponseMessage> PostAsync(object body) =>
        Client.PostAsync("/api/experiments", Json(JsonSerializer.Serialize(body)), Cancellation);
}
