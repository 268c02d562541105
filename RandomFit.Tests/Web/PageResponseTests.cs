using System.Net;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Api;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Web;

/// <summary>Prerendered pages over HTTP on the real host, with the fixture experiment stored.</summary>
[Collection(TorchCollection.Name)]
public sealed class PageResponseTests : IAsyncLifetime
{
    private readonly RandomFitHostFactory _host = new();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        // Creating the client starts the host, which applies the migrations the fixture needs.
        _client = _host.CreateClient();
        await ResultFixtures.StoreAsync(_host);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/runs/nosuchid", "Run not found", "There is no run with the id")]
    [InlineData("/experiments/nosuchid", "Experiment not found", "There is no experiment with the id")]
    public async Task UnknownIdPage_Returns404WithMessage(string path, string title, string text)
    {
        var response = await _client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("data-testid=\"not-found\"", html);
        Assert.Contains(title, html);
        Assert.Contains(text, html);
        Assert.Contains("nosuchid", html);
    }

    [Theory]
    [InlineData("/runs/mlp-0")]
    [InlineData("/experiments/" + ResultFixtures.ExperimentId)]
    public async Task KnownIdPage_Returns200WithoutNotFound(string path)
    {
        var response = await _client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("data-testid=\"not-found\"", html);
    }

    [Theory]
    [InlineData("model=mlp", true)]
    [InlineData("model=rnn", false)]
    [InlineData("seed=2", true)]
    [InlineData("seed=7", false)]
    [InlineData("experiment=" + ResultFixtures.ExperimentId, true)]
    [InlineData("experiment=other", false)]
    public async Task ExperimentList_RunFilter_MatchesApi(string query, bool listed)
    {
        var html = await _client.GetStringAsync($"/experiments?{query}", Cancellation);
        var api = await _client.GetStringAsync($"/api/experiments?{query}", Cancellation);

        var row = $"data-experiment=\"{ResultFixtures.ExperimentId}\"";
        Assert.Equal(listed, html.Contains(row, StringComparison.Ordinal));
        Assert.Equal(listed, api.Contains($"\"id\":\"{ResultFixtures.ExperimentId}\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/experiments?status=bogus")]
    [InlineData("/runs?status=bogus")]
    public async Task ListPage_InvalidStatus_ShowsNotice(string path)
    {
        var response = await _client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ignored status &#x27;bogus&#x27;: use one of queued, running, completed, failed, cancelled, interrupted.", html);
    }

    [Fact]
    public async Task RunPage_InterruptedWithoutCheckpoint_HasNoResume()
    {
        var factory = _host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancellation))
        {
            await db.Runs.Where(r => r.Id == "mlp-0")
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Interrupted), Cancellation);
        }

        var html = await _client.GetStringAsync("/runs/mlp-0", Cancellation);
        var resume = await _client.PostAsync("/api/runs/mlp-0/resume", null, Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, resume.StatusCode);
        Assert.DoesNotContain("data-testid=\"resume\"", html);
        Assert.Contains("data-testid=\"resume-unavailable\"", html);
        Assert.Contains("Run mlp-0 has no checkpoint; rerun it instead.", html);
    }
}
