using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class ServiceEndpointsTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Presets_List_ContainsArticleExamplesWithSpecs()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var presets = await client.GetFromJsonAsync<JsonElement>("/api/presets", Cancellation);
        var ids = presets.EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        var example3 = presets.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "article-example-3");

        Assert.Equal(Presets.All.Select(p => p.Id), ids);
        Assert.Contains("cnn-vs-mlp", ids);
        Assert.Equal(100, example3.GetProperty("spec").GetProperty("training").GetProperty("epochs").GetInt32());
    }

    [Theory]
    [InlineData("/runs?page=abc", "abc")]
    [InlineData("/experiments?page=1.5", "1.5")]
    [InlineData("/runs?page=99999999999", "99999999999")]
    public async Task ListPage_InvalidPageInLink_ShowsFirstPageAndNotice(string path, string value)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Ignored page &#x27;{value}&#x27;: use a whole number from 1 to 2147483647.", html);
    }

    [Fact]
    public async Task Healthz_DatabaseUp_Returns200()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync("/healthz", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Healthz_OtherMethod_Returns405WithAllow(string method)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/healthz"), Cancellation);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheApi()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/experiments", out _));
        Assert.True(paths.TryGetProperty("/api/runs/{id}/metrics.csv", out _));
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/experiments")]
    public async Task OpenApi_ListEndpoint_DescribesQueryParameters(string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters");
        var names = parameters.EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()).ToList();
        var pageSize = parameters.EnumerateArray().Single(parameter => parameter.GetProperty("name").GetString() == "pageSize");

        Assert.Equal(["experiment", "model", "status", "seed", "preset", "sort", "page", "pageSize"], names);
        Assert.All(parameters.EnumerateArray(), parameter => Assert.Equal("query", parameter.GetProperty("in").GetString()));
        Assert.Equal(500, pageSize.GetProperty("schema").GetProperty("maximum").GetInt32());
    }

    [Theory]
    [InlineData("DataSpec", "testSamples", "integer")]
    [InlineData("DataSpec", "classes", "integer")]
    [InlineData("DataSpec", "corruptTest", "boolean")]
    [InlineData("ModelSpec", "dropout", "number")]
    [InlineData("ConvSpec", "poolSize", "integer")]
    [InlineData("TrainingSpec", "batchSize", "integer")]
    [InlineData("TrainingSpec", "momentum", "number")]
    public async Task OpenApi_DefaultedField_AcceptsNull(string schema, string property, string type)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var field = document.GetProperty("components").GetProperty("schemas").GetProperty(schema)
            .GetProperty("properties").GetProperty(property);
        var types = field.GetProperty("type").EnumerateArray().Select(item => item.GetString()).Order().ToList();

        Assert.Equal(new[] { type, "null" }.Order(), types);
    }

    [Theory]
    [InlineData("TrainingSpec", "optimizer", "OptimizerKind")]
    [InlineData("ModelSpec", "init", "InitKind")]
    [InlineData("DataSpec", "pixels", "PixelTransform")]
    public async Task OpenApi_DefaultedEnum_OneOfNullOrEnum(string schema, string property, string enumSchema)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var oneOf = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("oneOf");

        Assert.Equal(2, oneOf.GetArrayLength());
        Assert.Equal("null", oneOf[0].GetProperty("type").GetString());
        Assert.Equal($"#/components/schemas/{enumSchema}", oneOf[1].GetProperty("$ref").GetString());
        Assert.False(schemas.GetProperty(enumSchema).TryGetProperty("type", out _));
    }

    [Fact]
    public async Task OpenApi_DatasetUpload_DescribesFormFields()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var form = document.GetProperty("paths").GetProperty("/api/datasets").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");

        Assert.Equal(["file", "images", "labels"], form.GetProperty("properties").EnumerateObject().Select(field => field.Name));
    }

    [Theory]
    [InlineData("/api/experiments", "post", "201 400 401 413 415 429")]
    [InlineData("/api/experiments/{id}/seeds", "post", "201 400 401 404 413 415 429")]
    [InlineData("/api/runs/{id}/cancel", "post", "202 401 404 409")]
    [InlineData("/api/runs/{id}", "get", "200 404")]
    [InlineData("/api/experiments/{id}/export.csv", "get", "200 404")]
    public async Task OpenApi_Operation_ListsProblemStatuses(string path, string method, string statuses)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancellation);
        var responses = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.Equal(statuses.Split(' '), responses.EnumerateObject().Select(response => response.Name).Order());
    }

    [Fact]
    public async Task UnknownPath_BrowserRequest_GetsHtmlNotFoundPage()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page?<b>");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        var response = await client.SendAsync(request, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Page not found</h1><p>RandomFit has no page at /no-such-page.</p>", html);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/api/no-such-endpoint", "text/html")]
    [InlineData("/no-such-page", "application/json")]
    public async Task UnknownPath_ApiOrScript_GetsProblemJson(string path, string accept)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnsupportedMethod_Returns405ListingAllowedMethods()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.PutAsync("/api/experiments/abc", new StringContent("{}"), Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["DELETE", "GET", "HEAD"], response.Content.Headers.Allow);
        Assert.Equal("Method not allowed.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            "PUT is not allowed on /api/experiments/abc, which accepts DELETE, GET, HEAD.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    // A POST to a mistyped path, or to an action with an empty id, must not claim that GET would work there.
    [Theory]
    [InlineData("/app.css")]
    [InlineData("/favicon.svg")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/_content/Plotly.Blazor/plotly-interop-7.2.0.js")]
    public async Task Get_StaticAsset_Returns200(string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync(path, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/runs/abc/cancel")]
    [InlineData("/api/runs/abc/rerun")]
    [InlineData("/api/runs/abc/resume")]
    [InlineData("/api/experiments/abc/seeds")]
    public async Task PostOnlyPath_Get_Returns405ListingPost(string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync(path, Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("Method not allowed.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            $"GET is not allowed on {path}, which accepts POST.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("DELETE", "/api/runs/abc/cancel", "POST")]
    [InlineData("DELETE", "/api/runs/abc/metrics.csv", "GET HEAD")]
    [InlineData("PUT", "/api/experiments", "GET HEAD POST")]
    [InlineData("DELETE", "/runs/abc", "GET HEAD POST")]
    public async Task WrongMethod_Returns405ListingOnlyPathMethods(string method, string path, string allowed)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancellation);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed.Split(' '), response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("DELETE", "/api/no-such-endpoint")]
    [InlineData("POST", "/api/no-such-endpoint")]
    [InlineData("POST", "/api/experiment")]
    [InlineData("POST", "/api/runs//cancel")]
    [InlineData("POST", "/api/experiments//seeds")]
    [InlineData("POST", "/no-such-page")]
    [InlineData("PUT", "/api/runs/abc/no-such-action")]
    [InlineData("DELETE", "/api")]
    [InlineData("DELETE", "/no-such-page")]
    public async Task UnknownPath_AnyMethod_Returns404Problem(string method, string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/experiments")]
    [InlineData("/runs")]
    [InlineData("/")]
    public async Task Head_ExistingPath_Returns200(string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Cancellation);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
