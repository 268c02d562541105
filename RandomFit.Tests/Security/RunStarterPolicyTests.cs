using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RandomFit.Tests.Web;
using RandomFit.Web.Security;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Security;

/// <summary>
/// Each RequireSignIn setting against the mutating endpoints. A request that passes the policy reaches its
/// handler and gets the handler's response (400 for an empty body, 404 for an unknown id), one that fails gets 401.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class RunStarterPolicyTests
{
    private const string Unknown = "zzzzzzzzzz";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, bool> Settings => new()
    {
        { "auto", "http://127.0.0.1:5181", false },
        { "auto", "http://localhost:5181;http://[::1]:5182", false },
        { "auto", "http://0.0.0.0:5181", true },
        { "auto", "http://127.0.0.1:5181;http://*:5182", true },
        { "true", "http://127.0.0.1:5181", true },
        { "false", "http://0.0.0.0:5181", false },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task MutatingEndpoints_Setting_RequireSignInOrNot(string setting, string? urls, bool required)
    {
        await using var host = NewHost(setting, urls);
        using var client = host.CreateClient();

        var create = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);
        var delete = await client.DeleteAsync($"/api/experiments/{Unknown}", Cancellation);
        var cancel = await client.PostAsync($"/api/runs/{Unknown}/cancel", null, Cancellation);
        var seeds = await client.PostAsync($"/api/experiments/{Unknown}/seeds", Json("{\"seeds\": [5]}"), Cancellation);
        var rerun = await client.PostAsync($"/api/runs/{Unknown}/rerun", null, Cancellation);
        var upload = await client.PostAsync("/api/datasets", Json("{}"), Cancellation);

        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound, seeds.StatusCode);
        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound, rerun.StatusCode);
        Assert.Equal(required ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Equal(required, host.GetService<SignInRequirement>().Required);
    }

    [Theory]
    [InlineData("/api/experiments")]
    [InlineData("/api/runs")]
    [InlineData("/api/presets")]
    [InlineData("/api/claims")]
    [InlineData("/experiments/new")]
    [InlineData("/runs")]
    [InlineData("/account/login")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/datasets")]
    public async Task Get_SignInRequired_StaysOpen(string path)
    {
        await using var host = NewHost("true", null);
        using var client = host.CreateClient();

        var response = await client.GetAsync(path, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_Anonymous_Returns401ProblemWithExactText()
    {
        await using var host = NewHost("true", null);
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", ContentType(response)?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Sign-in required.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            "Sign in or send a bearer token to start, cancel or delete runs.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("auto", "Bearer bogus", "The bearer token is unknown.")]
    [InlineData("false", "Bearer bogus", "The bearer token is unknown.")]
    [InlineData("true", "Bearer bogus", "The bearer token is unknown.")]
    [InlineData("auto", "bearer rf_AAAA", "The bearer token is unknown.")]
    [InlineData("auto", "Bearer", "The bearer token is empty.")]
    [InlineData("auto", "Bearer   ", "The bearer token is empty.")]
    [InlineData("auto", "Bearer\tbogus", "The bearer token is unknown.")]
    public async Task Post_InvalidBearerToken_Returns401WhateverSetting(string setting, string header, string reason)
    {
        await using var host = NewHost(setting, "http://127.0.0.1:5181");
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request, Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", ContentType(response)?.MediaType);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal("Invalid bearer token.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            reason + " Send a token that the create-token command printed, as 'Authorization: Bearer TOKEN'.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_UnknownBearerToken_LogsOneLine()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Auth:RequireSignIn"] = "auto",
        })
        {
            Log = log,
        };
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer bogus");

        var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var lines = log.Entries.Where(entry => entry.Message.Contains("The bearer token is unknown.")).ToList();
        var line = Assert.Single(lines);
        Assert.Equal(BearerTokenHandler.RejectionCategory, line.Category);
        Assert.Equal("Bearer token rejected on POST /api/experiments: The bearer token is unknown.", line.Message);
    }

    [Fact]
    public async Task Post_BearerBesideBasicHeader_Returns401()
    {
        await using var host = NewHost("auto", "http://127.0.0.1:5181");
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", ["Basic eA==", "Bearer bogus"]);

        var response = await client.SendAsync(request, Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "The request has 2 Authorization headers; send one. Send a token that the create-token command printed, "
            + "as 'Authorization: Bearer TOKEN'.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Post_NoBearerTokenSignInNotRequired_ReachesHandler(string? header)
    {
        await using var host = NewHost("auto", "http://127.0.0.1:5181");
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = Json("{}") };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_ValidTokenSignInNotRequired_ReachesHandler()
    {
        await using var host = NewHost("false", null);
        await Accounts.CreateUserAsync(host, "alice");
        var token = await Accounts.CreateTokenAsync(host, "alice");
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownBearerToken_StaysOpen()
    {
        await using var host = NewHost("false", null);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer bogus");

        var response = await client.GetAsync("/api/experiments", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NewExperimentPage_SignInRequired_ShowsSignInLink()
    {
        await using var host = NewHost("true", null);
        using var client = host.CreateClient();

        var html = await client.GetStringAsync("/experiments/new", Cancellation);

        Assert.Contains("data-testid=\"sign-in-to-start\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"start\"", html, StringComparison.Ordinal);
        Assert.Contains("/account/login?returnUrl=%2Fexperiments%2Fnew", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewExperimentPage_Open_ShowsStart()
    {
        await using var host = NewHost("false", null);
        using var client = host.CreateClient();

        var html = await client.GetStringAsync("/experiments/new", Cancellation);

        Assert.Contains("data-testid=\"start\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sign-in-to-start\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_InvalidSetting_FailsWithClearMessage()
    {
        await using var host = NewHost("maybe", null);
        var log = new CriticalLog();
        await using var logged = host.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(log)));

        // The app logs the reason and exits before it starts, so the test host reports that no server started.
        Assert.Throws<InvalidOperationException>(() => logged.CreateClient());

        var message = Assert.Single(log.Messages);
        Assert.StartsWith("RandomFit did not start: ", message, StringComparison.Ordinal);
        Assert.Contains(
            "RandomFit:Auth:RequireSignIn is 'maybe', which is invalid; use auto, true or false.",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_TwoInvalidSettings_LogsOneLine()
    {
        await using var host = NewHost("maybe", null);
        var log = new CriticalLog();
        await using var logged = host.WithWebHostBuilder(builder => builder
            .UseSetting("RandomFit:Limits:MaxSeeds", "-5")
            .ConfigureServices(services => services.AddSingleton<ILoggerProvider>(log)));

        Assert.Throws<InvalidOperationException>(() => logged.CreateClient());

        var message = Assert.Single(log.Messages);
        Assert.Equal(
            "RandomFit did not start: RandomFit:Limits: DataAnnotation validation failed for 'LimitsOptions' members: "
                + "'MaxSeeds' with the error: 'The field MaxSeeds must be between 1 and 2147483647.'. "
                + "RandomFit:Auth: DataAnnotation validation failed for 'AuthOptions' members: 'RequireSignIn' with the "
                + "error: 'RandomFit:Auth:RequireSignIn is 'maybe', which is invalid; use auto, true or false.'.",
            message);
    }

    /// <summary>Collects the messages logged at the critical level.</summary>
    private sealed class CriticalLog : ILoggerProvider, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Critical;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Critical)
            {
                _messages.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("https://LOCALHOST", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://127.0.0.2:5000/base", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://192.168.1.20:5000", false)]
    [InlineData("http://example.org:5000", false)]
    public void IsLoopback_Address_ClassifiesInterface(string address, bool loopback)
    {
        Assert.Equal(loopback, SignInRequirement.IsLoopback(address));
    }

    private static RandomFitHostFactory NewHost(string setting, string? urls)
    {
        var settings = new Dictionary<string, string?> { ["RandomFit:Auth:RequireSignIn"] = setting };
        if (urls is not null)
        {
            settings["urls"] = urls;
        }

        return new RandomFitHostFactory(settings: settings);
    }
}
