using System.Net;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Reliability;

/// <summary>
/// Throws thousands of generated bad requests and hub calls at the real host in the Development environment,
/// where a leaked stack trace would show first, and checks that each is rejected cleanly and stores nothing.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ApiFuzzTests
{
    private const int Seed = 20261204;

    private static readonly HttpStatusCode[] Allowed =
        [HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.RequestEntityTooLarge];

    private static readonly string[] StackTraceMarks =
        ["   at ", ".cs:line", "at RandomFit.", "at System.", "at Microsoft.", "RandomFit.Web."];

    [Fact]
    public async Task Api_GeneratedBadRequests_AnswerProblemsAndStoreNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["environment"] = Environments.Development,
        });
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2));
        await host.WaitForFinalAsync(created.Runs[0].Id);
        Assert.True(host.GetService<IHostEnvironment>().IsDevelopment());
        var before = await DatabaseSnapshot.TakeAsync(host.DatabasePath);
        var failures = new List<string>();
        var inputs = new FuzzInputs(Seed);
        using var client = host.CreateClient();
        var validBodies = new[]
        {
            System.Text.Json.JsonSerializer.Serialize(TestSpecs.TinyMlp(epochs: 3), SpecJson.Options),
            """{"preset": "article-example-1", "name": "fuzz", "seeds": [1, 2]}""",
        };

        // Bodies for POST /api/experiments
        for (var i = 0; i < 1500; i++)
        {
            var body = inputs.InvalidExperimentBody(validBodies[i % validBodies.Length]);
            var contentType = inputs.Random.Next(10) == 0 ? "text/plain" : "application/json";
            using var content = new StringContent(body, Encoding.UTF8, contentType);
            using var response = await client.PostAsync("/api/experiments", content, ct);

            // A body that is not declared as JSON gets 415, which names the real fault better than 400.
            var unsupported = contentType != "application/json"
                && response.StatusCode == HttpStatusCode.UnsupportedMediaType;
            await CheckAsync(response, $"POST body #{i}: {Shorten(body)}", failures, allowAnyStatus: unsupported);
        }

        // Bodies over the size limit
        for (var i = 0; i < 10; i++)
        {
            var body = "{\"name\": \"" + new string('x', 1_100_000 + i) + "\"}";
            using var response = await client.PostAsync("/api/experiments", JsonBody(body), ct);
            await CheckAsync(response, $"oversized body #{i}", failures);
        }

        // Query strings on the list endpoints
        for (var i = 0; i < 600; i++)
        {
            var path = (i % 2 == 0 ? "/api/runs?" : "/api/experiments?") + inputs.RandomQuery();
            using var response = await client.GetAsync(path, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await CheckAsync(response, $"GET {Shorten(path)}", failures);
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                failures.Add($"GET {Shorten(path)}: 200 with {response.Content.Headers.ContentType}");
            }
        }

        // Unknown ids on every id route
        string[] routes =
        [
            "GET /api/runs/{0}", "GET /api/runs/{0}/metrics.csv", "POST /api/runs/{0}/cancel",
            "GET /api/experiments/{0}", "GET /api/experiments/{0}/spec", "DELETE /api/experiments/{0}",
        ];
        for (var i = 0; i < 900; i++)
        {
            var parts = routes[i % routes.Length].Split(' ');
            var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, parts[1], inputs.RandomId());
            using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
            using var response = await client.SendAsync(request, ct);
            await CheckAsync(response, $"{parts[0]} {Shorten(path)}", failures);
        }

        await CheckHubAsync(host, inputs, failures);
        var after = await DatabaseSnapshot.TakeAsync(host.DatabasePath);

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(before.RowCounts, after.RowCounts);
        Assert.Equal(before.Checksum, after.Checksum);
    }

    private static async Task CheckHubAsync(RandomFitHostFactory host, FuzzInputs inputs, List<string> failures)
    {
        await using var hub = await host.ConnectHubAsync();
        string[] methods = ["WatchRun", "UnwatchRun", "WatchExperiment", "UnwatchExperiment", "NoSuchMethod"];
        for (var i = 0; i < 300; i++)
        {
            var method = methods[i % methods.Length];
            var arguments = Enumerable.Range(0, inputs.Random.Next(0, 3)).Select(_ => inputs.HubArgument()).ToArray();
            try
            {
                await hub.Connection.InvokeCoreAsync(method, arguments, TestContext.Current.CancellationToken);
            }
            catch (HubException exception)
            {
                if (StackTraceMarks.Any(exception.Message.Contains))
                {
                    failures.Add($"hub {method}: {exception.Message}");
                }
            }
        }

        if (hub.Connection.State != HubConnectionState.Connected)
        {
            failures.Add($"hub connection ended: {hub.Connection.State}");
        }
    }

    private static async Task CheckAsync(
        HttpResponseMessage response,
        string what,
        List<string> failures,
        bool allowAnyStatus = false)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (!allowAnyStatus && !Allowed.Contains(response.StatusCode))
        {
            failures.Add($"{what}: {(int)response.StatusCode} {Shorten(text)}");
        }
        else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{what}: {(int)response.StatusCode} with {response.Content.Headers.ContentType}");
        }
        else if (StackTraceMarks.Any(text.Contains))
        {
            failures.Add($"{what}: stack trace in {Shorten(text)}");
        }
    }

    private static StringContent JsonBody(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
