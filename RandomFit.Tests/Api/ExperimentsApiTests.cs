using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class ExperimentsApiTests : HostTestBase
{
    private const string BothOrNeither = "Give exactly one of 'preset' (a preset id) and 'spec' (an experiment spec).";

    [Fact]
    public async Task Post_Spec_Returns201WithLocationAndQueuedRuns()
    {
        var response = await Client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 2, seeds: [3, 4]), Cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await response.Content.ReadAsStringAsync(Cancellation), SpecJson.Options)!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/experiments/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"/experiments/{created.Id}", created.Url);
        Assert.Equal([3, 4], created.Runs.Select(r => r.Seed));
        Assert.All(created.Runs, run => Assert.Equal($"/runs/{run.Id}", run.Url));
        Assert.All(created.Runs, run => Assert.Matches("^[a-z0-9]{10}$", run.Id));
    }

    [Fact]
    public async Task Spec_WithoutSeeds_PostsBackUnderSpec()
    {
        var body = new
        {
            spec = new
            {
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 8 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 1 },
            },
        };
        var created = await Client.PostAsJsonAsync("/api/experiments", body, Cancellation);
        var spec = await Client.GetStringAsync($"{created.Headers.Location}/spec", Cancellation);
        var experiment = await Client.GetFromJsonAsync<JsonElement>(created.Headers.Location, Cancellation);
        using var bare = new StringContent(spec, System.Text.Encoding.UTF8, "application/json");
        var rejected = await Client.PostAsync("/api/experiments", bare, Cancellation);
        var errors = await ApiResponses.ReadValidationErrorsAsync(rejected);
        using var wrapped = new StringContent($"{{\"spec\": {spec}}}", System.Text.Encoding.UTF8, "application/json");
        var recreated = await Client.PostAsync("/api/experiments", wrapped, Cancellation);

        Assert.Equal([0], JsonDocument.Parse(spec).RootElement.GetProperty("seeds").EnumerateArray().Select(seed => seed.GetInt32()));
        Assert.Equal([0], experiment.GetProperty("spec").GetProperty("seeds").EnumerateArray().Select(seed => seed.GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(
            [
                "Unknown property 'data'. Property names are case-sensitive; allowed here: preset, spec, name, seeds. "
                + "'data' is a spec field: send the spec inside the request, as {\"spec\": {...}}.",
            ],
            errors["data"]);
        Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
    }

    // The contract's default for dense and hidden is an empty list, so an omitted or null list reads back as [].
    [Fact]
    public async Task Spec_OmittedWidths_ReadBackEmpty()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"c","kind":"cnn","conv":[{"filters":2,"kernel":3}]},{"name":"m","kind":"mlp","hidden":null}],"training":{"epochs":1}}}""";

        var created = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var spec = await Client.GetFromJsonAsync<JsonElement>($"{created.Headers.Location}/spec", Cancellation);
        var models = spec.GetProperty("models");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("[]", models[0].GetProperty("dense").GetRawText());
        Assert.Equal("[]", models[0].GetProperty("hidden").GetRawText());
        Assert.Equal("[]", models[1].GetProperty("dense").GetRawText());
        Assert.Equal("[]", models[1].GetProperty("hidden").GetRawText());
    }

    [Fact]
    public async Task CreatedRuns_SeedsAndRerun_CarryExperimentName()
    {
        var response = await Client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 2, seeds: [3]), Cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await response.Content.ReadAsStringAsync(Cancellation), SpecJson.Options)!;
        var seeds = await Client.PostAsJsonAsync($"/api/experiments/{created.Id}/seeds", new { seeds = new[] { 4 } }, Cancellation);
        var added = await seeds.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var rerun = await Client.PostAsync($"/api/runs/{created.Runs[0].Id}/rerun", null, Cancellation);
        var rerunItem = await rerun.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal("tiny mlp", created.Runs[0].ExperimentName);
        Assert.Equal("tiny mlp", added[0].GetProperty("experimentName").GetString());
        Assert.Equal("tiny mlp", rerunItem.GetProperty("experimentName").GetString());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "The request had Content-Type 'application/x-www-form-urlencoded'.")]
    [InlineData("text/plain", "The request had Content-Type 'text/plain'.")]
    public async Task Post_NotDeclaredJson_Returns415NamingHeader(string contentType, string expectedEnd)
    {
        // curl -d sends the first type unless a Content-Type header is given.
        using var content = new ByteArrayContent("{\"preset\": \"article-example-3\"}"u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "Send the request body as JSON with the header 'Content-Type: application/json'. " + expectedEnd,
            problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=utf-16", "utf-16")]
    [InlineData("application/json; charset=\"latin1\"", "latin1")]
    public async Task Post_JsonInOtherCharset_Returns415(string contentType, string charset)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.Unicode.GetBytes("{\"preset\": \"article-example-3\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "Send JSON encoded as UTF-8, with the header 'Content-Type: application/json'. "
                + $"The request declared charset '{charset}'.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_NameWithLoneSurrogate_Returns400SayingWhy()
    {
        var response = await Client.PostAsync(
            "/api/experiments", Json("{\"preset\": \"article-example-3\", \"name\": \"a\\ud800b\"}"), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Expected text of valid Unicode characters; got the string \"a\\ud800b\", which contains an unpaired surrogate escape."],
            errors["name"]);
    }

    [Fact]
    public async Task Post_Utf8ByteOrderMark_Returns201()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "{\"preset\": \"article-example-3\", \"seeds\": [0]}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithJsonContentTypeInOtherCharset_IsNotRejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/experiments");
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=iso-8859-1");

        var response = await Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF8")]
    [InlineData("application/json; charset=us-ascii")]
    [InlineData("application/json")]
    public async Task Post_JsonInUtf8_Returns201(string contentType)
    {
        using var content = new ByteArrayContent("{\"preset\": \"article-example-3\", \"seeds\": [0]}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_InvalidUtf8InString_Returns400()
    {
        byte[] body = [.. "{\"preset\": \"article-example-3\", \"name\": \""u8, 0xFF, 0xFE, .. "\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["The request body is not valid UTF-8; send JSON encoded as UTF-8."], errors["$"]);
    }

    [Fact]
    public async Task Post_RepeatedProperty_Returns400NamingIt()
    {
        var response = await Client.PostAsync(
            "/api/experiments", Json("{\"preset\": \"nope\", \"preset\": \"article-example-3\"}"), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["Property 'preset' appears more than once in this object; give each property once."],
            errors["preset"]);
        Assert.Single(errors);
        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task List_TwoRunFilters_MatchOneRunNotTwo()
    {
        var factory = Host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancellation))
        {
            var experiment = new ExperimentEntity
            {
                Id = "exp-mixed",
                Name = "mixed",
                Sequence = 1,
                CreatedAt = DateTimeOffset.UtcNow,
                SpecJson = JsonSerializer.Serialize(Presets.Find("article-example-3")!.Spec, SpecJson.Options),
            };
            experiment.Runs.Add(new RunEntity
            {
                Id = "run-done", ExperimentId = "exp-mixed", Model = "cnn", Seed = 1, Status = RunStatus.Completed,
                TotalEpochs = 1, Sequence = 1, CreatedAt = DateTimeOffset.UtcNow,
            });
            experiment.Runs.Add(new RunEntity
            {
                Id = "run-stopped", ExperimentId = "exp-mixed", Model = "cnn", Seed = 2, Status = RunStatus.Cancelled,
                TotalEpochs = 1, Sequence = 2, CreatedAt = DateTimeOffset.UtcNow,
            });
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync(Cancellation);
        }

        var crossed = await Client.GetFromJsonAsync<JsonElement>("/api/experiments?status=cancelled&seed=1", Cancellation);
        var same = await Client.GetFromJsonAsync<JsonElement>("/api/experiments?status=cancelled&seed=2", Cancellation);

        Assert.Equal(0, crossed.GetProperty("total").GetInt32());
        Assert.Equal("exp-mixed", same.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_RunFilters_KeepMatchingExperiments()
    {
        var first = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [9]));
        var second = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1, seeds: [1, 2]));

        async Task<List<string?>> IdsAsync(string query) =>
            [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/experiments?{query}", Cancellation))
                .GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString())];

        Assert.Equal([first.Id], await IdsAsync("seed=9"));
        Assert.Equal([second.Id], await IdsAsync("seed=2"));
        Assert.Equal([second.Id, first.Id], await IdsAsync("model=mlp"));
        Assert.Empty(await IdsAsync("model=cnn"));
        Assert.Equal([first.Id], await IdsAsync($"experiment={first.Id}"));
    }

    [Fact]
    public async Task Post_Created_BodyUsesContractJsonNames()
    {
        var response = await Client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 1), Cancellation);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var run = document.RootElement.GetProperty("runs")[0];

        Assert.Equal("mlp", run.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("condition").ValueKind);
        Assert.Equal("queued", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Post_PresetWithNameAndSeeds_AppliesOverrides()
    {
        var created = await Host.CreateExperimentAsync(new { preset = "article-example-3", name = "mine", seeds = new[] { 7, 8 } });
        await Client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);

        Assert.Equal([7, 8], created.Runs.Select(r => r.Seed));
    }

    [Fact]
    public async Task Post_SpecWithNameAndSeeds()
    {
        var body = """{"spec":{"name":"in spec","data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":1},"seeds":[0,1]},"name":"on top","seeds":[7,8]}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var experiment = await Client.GetFromJsonAsync<JsonElement>(response.Headers.Location, Cancellation);
        await Client.DeleteAsync(response.Headers.Location, Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("on top", experiment.GetProperty("name").GetString());
        Assert.Equal([7, 8], experiment.GetProperty("spec").GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([7, 8], experiment.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("seed").GetInt32()).Order());
    }

    [Fact]
    public async Task Post_Preset_NameDefaultsToPresetName()
    {
        var created = await Host.CreateExperimentAsync(new { preset = "article-example-3", seeds = new[] { 0 } });
        var experiment = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}", Cancellation);
        await Client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);

        Assert.Equal(Presets.Find("article-example-3")!.Name, experiment.GetProperty("name").GetString());
        Assert.Equal("article-example-3", experiment.GetProperty("preset").GetString());
    }

    [Fact]
    public async Task Post_SpecWithoutName_NamedUntitledExperiment()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":1}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(await response.Content.ReadAsStringAsync(Cancellation), SpecJson.Options)!;
        var experiment = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}", Cancellation);

        Assert.Equal("Untitled experiment", experiment.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"preset\": \"article-example-3\",}")]
    [InlineData("")]
    public async Task Post_MalformedJson_Returns400ForBody(string body)
    {
        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "$").Value);
        Assert.StartsWith("The request body is", message);
    }

    // System.Text.Json's own message for a trailing comma ends "Change the reader options.", advice for the server's
    // code that a client cannot follow.
    [Theory]
    [InlineData("{\"preset\": \"article-example-3\",}", 31)]
    [InlineData("{\"preset\": \"article-example-3\", \"seeds\": [1, 2,]}", 47)]
    public async Task Post_TrailingComma_RemoveCommaMessage(string body, int position)
    {
        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "$").Value);
        Assert.Equal(
            "The request body is not valid JSON: a comma follows the last item of an object or array, which JSON does "
            + $"not allow, so remove it. LineNumber: 0 | BytePositionInLine: {position}.",
            message);
    }

    // A body copied from a file with comments, such as a settings file, got System.Text.Json's "'/' is invalid after
    // a value. Expected either ',', '}', or ']'.", which names neither the comment nor the fix.
    [Theory]
    [InlineData("{\"preset\": \"article-example-3\" /* example 3 */}", 31)]
    [InlineData("{\"preset\": \"article-example-3\", // example 3\n\"seeds\": [1]}", 32)]
    public async Task Post_Comment_RemoveCommentMessage(string body, int position)
    {
        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "$").Value);
        Assert.Equal(
            "The request body is not valid JSON: a comment starts here, which JSON does not allow, so remove it. "
            + $"LineNumber: 0 | BytePositionInLine: {position}.",
            message);
    }

    [Fact]
    public async Task Post_NotAnObject_Returns400ForBody()
    {
        var response = await Client.PostAsync("/api/experiments", Json("[1, 2]"), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["The request body must be a JSON object; got an array."], errors["$"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\": \"x\"}")]
    [InlineData("{\"preset\": \"article-example-3\", \"spec\": {}}")]
    public async Task Post_BothOrNeitherPresetAndSpec_Returns400ForBody(string body)
    {
        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([BothOrNeither], Assert.Single(errors).Value);
        Assert.Equal("$", errors.Keys.Single());
    }

    [Fact]
    public async Task Post_UnknownPreset_Returns400ForPreset()
    {
        var response = await Client.PostAsync("/api/experiments", Json("""{"preset": "nope"}"""), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var message = Assert.Single(errors["preset"]);
        Assert.StartsWith("Unknown preset 'nope'. Known presets: ", message);
        Assert.Contains("article-example-3", message);
    }

    [Fact]
    public async Task Post_LongUnknownPreset_ShortenedInErrorAndLog()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory { Log = log };
        using var client = host.CreateClient();
        var known = string.Join(", ", Presets.All.Select(preset => preset.Id));
        var body = $$"""{"preset": "{{new string('p', 100_000)}}"}""";

        var response = await client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var expected = $"Unknown preset '{new string('p', 64)}…' (100,000 characters). Known presets: {known}.";
        Assert.Equal([expected], errors["preset"]);
        var rejection = Assert.Single(log.Entries, entry => entry.Category == typeof(ExperimentsApi).FullName);
        Assert.Equal($"Experiment request rejected: preset: {expected}", rejection.Message);
    }

    [Fact]
    public async Task Post_LongUnknownProperty_ShortenedInKeyAndMessage()
    {
        var body = $$"""{"preset": "article-example-3", "{{new string('c', 100_000)}}": 1}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var key = new string('c', 64) + "…";
        Assert.Equal([key], errors.Keys);
        Assert.Equal(
            [$"Unknown property '{key}' (100,000 characters). Property names are case-sensitive; allowed here: preset, spec, name, seeds."],
            errors[key]);
    }

    [Fact]
    public async Task Post_LongRepeatedProperty_ShortenedInKeyAndMessage()
    {
        var name = new string('c', 1000);
        var body = $$$"""{"preset": "article-example-3", "spec": {"{{{name}}}": 1, "{{{name}}}": 2}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var key = "spec." + new string('c', 64) + "…";
        Assert.Equal(
            [$"Property '{new string('c', 64)}…' (1,000 characters) appears more than once in this object; give each property once."],
            errors[key]);
    }

    [Fact]
    public async Task Post_UnknownProperty_Returns400NamingIt()
    {
        var body = """{"preset": "article-example-3", "colour": "red"}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        var message = Assert.Single(errors["colour"]);
        Assert.Equal("Unknown property 'colour'. Property names are case-sensitive; allowed here: preset, spec, name, seeds.", message);
    }

    [Fact]
    public async Task Post_WrongCaseProperty_Returns400NamingIt()
    {
        var body = """{"Preset": "article-example-3"}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.StartsWith("Unknown property 'Preset'.", Assert.Single(errors["Preset"]));
    }

    [Fact]
    public async Task Post_StringWhereNumberBelongs_Returns400AtItsPath()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":"3"}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Expected a whole number as a JSON number; got the string \"3\"."],
            errors["spec.training.epochs"]);
    }

    [Theory]
    [InlineData("99999999999", "Expected a whole number from -2147483648 to 2147483647; got the number 99999999999.")]
    [InlineData("2.5", "Expected a whole number; got the number 2.5.")]
    [InlineData("1e2", "Expected a whole number; got the number 1e2. Write whole numbers without a decimal point or exponent.")]
    [InlineData("100.0", "Expected a whole number; got the number 100.0. Write whole numbers without a decimal point or exponent.")]
    [InlineData("1e10", "Expected a whole number from -2147483648 to 2147483647; got the number 1e10.")]
    [InlineData("[3]", "Expected a whole number as a JSON number; got an array.")]
    public async Task Post_EpochsNotInt32_Returns400NamingValue(string epochs, string message)
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":"""
            + epochs + "}}}";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([message], errors["spec.training.epochs"]);
    }

    [Theory]
    [InlineData("""{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":3},"seeds":[1,3000000000]}}""",
        "spec.seeds[1]", "the number 3000000000")]
    [InlineData("""{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":3,"dataSeed":-2147483649}}}""",
        "spec.training.dataSeed", "the number -2147483649")]
    [InlineData("""{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":3,"orderSeed":1.5}}}""",
        "spec.training.orderSeed", "the number 1.5")]
    [InlineData("""{"preset":"article-example-3","seeds":[99999999999]}""", "seeds[0]", "the number 99999999999")]
    public async Task Post_SeedNotInt32_Returns400WithSeedRange(string body, string key, string given)
    {
        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([$"Expected a whole number from 0 to 2147483647; got {given}."], errors[key]);
    }

    [Fact]
    public async Task Post_NullTestSamples_StoresDefaultZero()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4,"testSamples":null},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":1}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var spec = await Client.GetFromJsonAsync<JsonElement>($"{response.Headers.Location}/spec", Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(0, spec.GetProperty("data").GetProperty("testSamples").GetInt32());
    }

    [Theory]
    [InlineData("\"3\"", "Expected a whole number as a JSON number; got the string \"3\".")]
    [InlineData("1.5", "Expected a whole number; got the number 1.5.")]
    [InlineData("false", "Expected a whole number as a JSON number; got false.")]
    public async Task Post_TestSamplesNotInt32_Returns400NamingValue(string testSamples, string message)
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4,"testSamples":"""
            + testSamples + """},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":1}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([message], errors["spec.data.testSamples"]);
    }

    [Fact]
    public async Task Post_UnknownEnumValue_Returns400ListingAllowedValues()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"rnn"}],"training":{"epochs":3}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Expected one of \"cnn\", \"mlp\"; got the string \"rnn\"."], errors["spec.models[0].kind"]);
    }

    [Fact]
    public async Task Post_NameWithLineBreak_Returns400AndStoresNothing()
    {
        var body = """{"preset": "article-example-3", "name": "runs\nDROP"}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);

        Assert.Equal(
            ["Name must not contain line breaks, tabs or other control characters; found U+000A at character 5."],
            errors["name"]);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_KernelLargerThanInput_Returns400AtKernelPath()
    {
        var body = """{"spec":{"data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"c","kind":"cnn","conv":[{"filters":2,"kernel":9}]}],"training":{"epochs":1}}}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.NotEmpty(Assert.Single(errors, e => e.Key == "spec.models[0].conv[0].kernel").Value);
    }

    [Fact]
    public async Task Post_BadSeedOverrides_Returns400PerSeed()
    {
        var body = """{"preset": "article-example-3", "seeds": [1, -2, 1]}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Seed must be between 0 and 2147483647; got -2."], errors["seeds[1]"]);
        Assert.Equal(["Seed 1 appears more than once; seeds must be distinct."], errors["seeds[2]"]);
        Assert.Equal(2, errors.Count);
    }

    // The top-level seeds are worded as the spec's seeds are.
    [Fact]
    public async Task Post_EmptySeedOverride_Returns400()
    {
        var body = """{"preset": "article-example-3", "seeds": []}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Seeds must have 1 to 100 entries (RandomFit:Limits:MaxSeeds); got 0."], errors["seeds"]);
        Assert.Single(errors);
    }

    // Top-level seeds and name replace the spec's, and an invalid value in the spec is still an error.
    [Fact]
    public async Task Post_OverriddenSpecSeeds_StillChecked()
    {
        var body = """{"spec":{"name":" padded","data":{"shape":{"channels":1,"height":4,"width":4},"trainSamples":4},"models":[{"name":"m","kind":"mlp"}],"training":{"epochs":1},"seeds":[-1,2,2]},"name":"on top","seeds":[7]}""";

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Seed must be between 0 and 2147483647; got -1."], errors["spec.seeds[0]"]);
        Assert.Equal(["Seed 2 appears more than once; seeds must be distinct."], errors["spec.seeds[2]"]);
        Assert.Equal(["Name must not begin or end with spaces."], errors["spec.name"]);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public async Task Post_InvalidRequest_StoresNothing()
    {
        await Client.PostAsync("/api/experiments", Json("""{"preset": "article-example-3", "seeds": [-1]}"""), Cancellation);

        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);

        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_BodyOverLimit_Returns413()
    {
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Limits:MaxRequestBytes"] = "64",
        });
        using var client = host.CreateClient();
        var body = $$"""{"preset": "article-example-3", "name": "{{new string('x', 100)}}"}""";

        var response = await client.PostAsync("/api/experiments", Json(body), Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task List_SortedAndPaged_ReturnsRequestedPage()
    {
        var first = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));
        var second = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var newest = await Client.GetFromJsonAsync<JsonElement>("/api/experiments?pageSize=1", Cancellation);
        var oldest = await Client.GetFromJsonAsync<JsonElement>("/api/experiments?sort=createdAt&pageSize=1", Cancellation);

        Assert.Equal(second.Id, newest.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(first.Id, oldest.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(2, newest.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_StatusCounts_AddUpToRunCount()
    {
        // The fixture stores four completed runs and one cancelled run. One completed run is then marked interrupted.
        await ResultFixtures.StoreAsync(Host);
        var factory = Host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancellation))
        {
            await db.Runs.Where(r => r.Id == "cnn-0")
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Interrupted), Cancellation);
        }

        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());

        Assert.Equal(5, item.GetProperty("runCount").GetInt32());
        Assert.Equal(0, item.GetProperty("queuedCount").GetInt32());
        Assert.Equal(0, item.GetProperty("runningCount").GetInt32());
        Assert.Equal(3, item.GetProperty("completedCount").GetInt32());
        Assert.Equal(0, item.GetProperty("failedCount").GetInt32());
        Assert.Equal(1, item.GetProperty("cancelledCount").GetInt32());
        Assert.Equal(1, item.GetProperty("interruptedCount").GetInt32());
    }

    [Fact]
    public async Task Create_EmptyConditions_TrainsDataWithoutCondition()
    {
        var created = await Host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 2, width = 2 },
                    trainSamples = 4,
                    conditions = Array.Empty<object>(),
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 2 } } },
                training = new { epochs = 1, batchSize = 4 },
                seeds = new[] { 0, 1 },
            },
        });

        Assert.Equal([0, 1], created.Runs.Select(run => run.Seed));
        Assert.All(created.Runs, run => Assert.Null(run.Condition));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("status=bogus", "status")]
    [InlineData("sort=name", "sort")]
    [InlineData("preset=nope", "preset")]
    public async Task List_BadQueryValue_Returns400NamingParameter(string query, string parameter)
    {
        var response = await Client.GetAsync($"/api/experiments?{query}", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(parameter, Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData("status", "status must be one of queued, running, completed, failed, cancelled, interrupted")]
    [InlineData("sort", "sort must be createdAt or -createdAt")]
    [InlineData("seed", "seed must be a whole number from 0 to 2147483647")]
    public async Task List_LongInvalidValue_ShortenedInError(string parameter, string rule)
    {
        var response = await Client.GetAsync($"/api/experiments?{parameter}={new string('q', 5000)}", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal([$"{rule}; got '{new string('q', 64)}…' (5,000 characters)."], errors[parameter]);
    }

    [Theory]
    [InlineData("/api/experiments/", "No experiment has id")]
    [InlineData("/api/runs/", "No run has id")]
    public async Task Get_LongUnknownId_ShortenedInDetail(string path, string start)
    {
        var response = await Client.GetAsync(path + new string('i', 5000), Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"{start} '{new string('i', 64)}…' (5,000 characters).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_LongContentType_ShortenedInDetail()
    {
        var contentType = "text/" + new string('t', 1000);
        using var content = new StringContent("{\"preset\": \"article-example-3\"}");
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "Send the request body as JSON with the header 'Content-Type: application/json'. "
                + $"The request had Content-Type '{contentType[..64]}…' (1,005 characters).",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_LongCharset_ShortenedInDetail()
    {
        var charset = new string('u', 1000);
        using var content = new StringContent("{\"preset\": \"article-example-3\"}");
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=" + charset);

        var response = await Client.PostAsync("/api/experiments", content, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "Send JSON encoded as UTF-8, with the header 'Content-Type: application/json'. "
                + $"The request declared charset '{charset[..64]}…' (1,000 characters).",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task List_UnknownPreset_Returns400ListingPresetIds()
    {
        var ids = string.Join(", ", Presets.All.Select(preset => preset.Id));

        var response = await Client.GetAsync("/api/experiments?preset=nope", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var known = await Client.GetAsync("/api/experiments?preset=cnn-vs-mlp", Cancellation);

        Assert.Equal([$"preset must be one of {ids}; got 'nope'."], errors["preset"]);
        Assert.Contains("article-example-3", ids);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task Get_Existing_ReturnsSpecAndRuns()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2, seeds: [0, 1]));

        var experiment = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}", Cancellation);
        var spec = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{created.Id}/spec", Cancellation);

        Assert.Equal(2, experiment.GetProperty("runs").GetArrayLength());
        Assert.Equal(2, experiment.GetProperty("spec").GetProperty("training").GetProperty("epochs").GetInt32());
        Assert.Equal("tiny mlp", spec.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delete_Existing_Returns204AndRemovesRuns()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000));

        var deleted = await Client.DeleteAsync($"/api/experiments/{created.Id}", Cancellation);
        var experiment = await Client.GetAsync($"/api/experiments/{created.Id}", Cancellation);
        var run = await Client.GetAsync($"/api/runs/{created.Runs[0].Id}", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, experiment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/experiments/nosuchid")]
    [InlineData("GET", "/api/experiments/nosuchid/spec")]
    [InlineData("DELETE", "/api/experiments/nosuchid")]
    [InlineData("GET", "/api/experiments/..%2F..")]
    public async Task UnknownId_Returns404(string method, string path)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
