using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Api;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Web;

/// <summary>Prerendered pages over HTTP on the real host, with the fixture experiment stored.</summary>
[Collection(TorchCollection.Name)]
public sealed partial class PageResponseTests : HostTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await ResultFixtures.StoreAsync(Host);
    }

    [Theory]
    [InlineData("/runs/nosuchid", "Run not found", "There is no run with the id 'nosuchid'.")]
    [InlineData("/experiments/nosuchid", "Experiment not found", "There is no experiment with the id 'nosuchid'.")]
    public async Task UnknownIdPage_Returns404WithMessage(string path, string title, string text)
    {
        var response = await Client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("data-testid=\"not-found\"", html);
        Assert.Contains(title, html);
        Assert.Contains(text, WebUtility.HtmlDecode(html));
        Assert.Contains("nosuchid", html);
    }

    [Theory]
    [InlineData("/runs/", "There is no run with the id")]
    [InlineData("/experiments/", "There is no experiment with the id")]
    public async Task UnknownIdPage_LongId_ShortenedInMessage(string path, string start)
    {
        var response = await Client.GetAsync(path + new string('i', 5000), Cancellation);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"{start} '{new string('i', 64)}…' (5,000 characters).", html);
        Assert.DoesNotContain(new string('i', 65), html);
    }

    [Theory]
    [InlineData("/runs/mlp-0")]
    [InlineData("/experiments/" + ResultFixtures.ExperimentId)]
    public async Task KnownIdPage_Returns200WithoutNotFound(string path)
    {
        var response = await Client.GetAsync(path, Cancellation);
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
        var html = await Client.GetStringAsync($"/experiments?{query}", Cancellation);
        var api = await Client.GetStringAsync($"/api/experiments?{query}", Cancellation);

        var row = $"data-experiment=\"{ResultFixtures.ExperimentId}\"";
        Assert.Equal(listed, html.Contains(row, StringComparison.Ordinal));
        Assert.Equal(listed, api.Contains($"\"id\":\"{ResultFixtures.ExperimentId}\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/experiments?status=bogus")]
    [InlineData("/runs?status=bogus")]
    public async Task ListPage_InvalidStatus_ShowsNotice(string path)
    {
        var response = await Client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ignored status &#x27;bogus&#x27;: use one of queued, running, completed, failed, cancelled, interrupted.", html);
    }

    [Theory]
    [InlineData("sort=createdAt&pageSize=2")]
    [InlineData("sort=-createdAt&pageSize=2")]
    [InlineData("sort=createdAt&pageSize=2&page=2")]
    public async Task RunList_SortAndPageSize_MatchApi(string query)
    {
        var html = await Client.GetStringAsync($"/runs?{query}", Cancellation);
        var api = await Client.GetFromJsonAsync<JsonElement>($"/api/runs?{query}", Cancellation);

        var expected = api.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToList();
        var listed = Regex.Matches(html, "<tr data-run=\"([^\"]+)\"").Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, listed);
    }

    [Theory]
    [InlineData("/runs?pageSize=501", "Ignored pageSize &#x27;501&#x27;: use a whole number from 1 to 500.")]
    [InlineData("/experiments?sort=oldest", "Ignored sort &#x27;oldest&#x27;: use createdAt or -createdAt.")]
    [InlineData("/runs?status=completed&status=failed",
        "Ignored status &#x27;completed&#x27;, &#x27;failed&#x27;: use one status value, not 2.")]
    public async Task ListPage_ParameterApiRejects_ShowsNotice(string path, string problem)
    {
        var apiPath = path.Replace("/runs?", "/api/runs?").Replace("/experiments?", "/api/experiments?");
        var response = await Client.GetAsync(path, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);
        var api = await Client.GetAsync(apiPath, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(problem, html);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
    }

    [Fact]
    public async Task RunPage_InterruptedWithoutCheckpoint_HasNoResume()
    {
        var factory = Host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancellation))
        {
            await db.Runs.Where(r => r.Id == "mlp-0")
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Interrupted), Cancellation);
        }

        var html = await Client.GetStringAsync("/runs/mlp-0", Cancellation);
        var resume = await Client.PostAsync("/api/runs/mlp-0/resume", null, Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, resume.StatusCode);
        Assert.DoesNotContain("data-testid=\"resume\"", html);
        Assert.Contains("data-testid=\"resume-unavailable\"", html);
        Assert.Contains("Run 'mlp-0' has no checkpoint; rerun it instead.", WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task RunList_ExperimentColumn_ShowsLinkedName()
    {
        var html = WebUtility.HtmlDecode(await Client.GetStringAsync("/runs", Cancellation));

        var cell = ExperimentCell().Match(html);
        Assert.True(cell.Success, "The run list has no experiment cell.");
        Assert.Contains($"href=\"/experiments/{ResultFixtures.ExperimentId}\"", cell.Value);
        Assert.Contains(">fixture</a>", cell.Value);
    }

    [Fact]
    public async Task ListApi_RunItems_CarryExperimentName()
    {
        var runs = await Client.GetFromJsonAsync<JsonElement>("/api/runs", Cancellation);
        var experiment = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{ResultFixtures.ExperimentId}", Cancellation);

        Assert.Equal("fixture", runs.GetProperty("items")[0].GetProperty("experimentName").GetString());
        Assert.Equal("fixture", experiment.GetProperty("runs")[0].GetProperty("experimentName").GetString());
    }

    [Fact]
    public async Task WorkersPage_StartTime_ShownInUtc()
    {
        var html = await Client.GetStringAsync("/workers", Cancellation);

        var started = WorkerStarted().Match(html);
        Assert.True(started.Success, "The workers page lists no worker start time.");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", started.Groups[1].Value.Trim());
    }

    // Below MudTable's breakpoint each row stacks into a card, which names a cell's column only by its data-label.
    [Fact]
    public async Task WorkersPage_Cells_NameTheirColumn()
    {
        var html = await Client.GetStringAsync("/workers", Cancellation);

        var row = WorkerRow().Match(html);
        Assert.True(row.Success, "The workers page lists no worker.");
        var labels = CellLabel().Matches(row.Value).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value)).ToList();
        Assert.Equal(["Worker", "State", "Device", "Capacity", "Last heartbeat", "Started", "Runs"], labels);
        Assert.Equal(7, CellTag().Matches(row.Value).Count);
    }

    [Fact]
    public async Task Page_LinksSvgIcon_ThatIsServed()
    {
        var html = WebUtility.HtmlDecode(await Client.GetStringAsync("/", Cancellation));
        var link = IconLink().Match(html);
        Assert.True(link.Success, "The page head links no icon.");

        var icon = await Client.GetAsync(link.Groups[1].Value, Cancellation);

        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("<td data-testid=\"run-experiment\">.*?</td>", RegexOptions.Singleline)]
    private static partial Regex ExperimentCell();

    [GeneratedRegex("data-testid=\"worker-started\"[^>]*>([^<]*)<")]
    private static partial Regex WorkerStarted();

    [GeneratedRegex("<tr[^>]*>(?:(?!</tr>).)*data-testid=\"worker-id\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex WorkerRow();

    [GeneratedRegex("<td[^>]*\\sdata-label=\"([^\"]*)\"")]
    private static partial Regex CellLabel();

    [GeneratedRegex("<td[\\s>]")]
    private static partial Regex CellTag();

    [GeneratedRegex("<link rel=\"icon\" type=\"image/svg\\+xml\" href=\"([^\"]+)\"")]
    private static partial Regex IconLink();
}
