using System.Net;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Api;

[Collection(TorchCollection.Name)]
public sealed class ExperimentResultsApiTests : HostTestBase
{
    // Student t quantile for 95% two-sided with 2 degrees of freedom.
    private const double T2 = 4.302652729749464;
    private const double Tolerance = 1e-9;

    private async Task<JsonElement> GetSummaryAsync()
    {
        var text = await Client.GetStringAsync($"/api/experiments/{ResultFixtures.ExperimentId}/summary", Cancellation);
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement Cohort(JsonElement summary, string model) =>
        summary.GetProperty("cohorts").EnumerateArray().Single(c => c.GetProperty("model").GetString() == model);

    [Fact]
    public async Task Summary_ThreeSeeds_MatchesHandComputedFigures()
    {
        await ResultFixtures.StoreAsync(Host);

        var summary = await GetSummaryAsync();
        var mlp = Cohort(summary, "mlp");
        var train = mlp.GetProperty("trainAccuracy");
        var test = mlp.GetProperty("testAccuracy");

        Assert.Equal(ResultFixtures.ExperimentId, summary.GetProperty("experimentId").GetString());
        Assert.Equal(JsonValueKind.Null, mlp.GetProperty("condition").ValueKind);
        Assert.Equal(3, mlp.GetProperty("n").GetInt32());
        Assert.Equal([0, 1, 2], mlp.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));

        // Final train accuracies 1.0, 0.75, 1.0: mean 11/12, variance (2 * (1/12)^2 + (1/6)^2) / 2 = 1/48.
        Assert.Equal(11.0 / 12, train.GetProperty("mean").GetDouble(), Tolerance);
        Assert.Equal(Math.Sqrt(1.0 / 48), train.GetProperty("std").GetDouble(), Tolerance);
        Assert.Equal(0.75, train.GetProperty("min").GetDouble());
        Assert.Equal(1.0, train.GetProperty("max").GetDouble());
        Assert.Equal(11.0 / 12 - T2 / 12, train.GetProperty("ciLow").GetDouble(), 1e-7);
        // The raw upper end, 11/12 + T2/12 = 1.275, is past the largest possible accuracy, so it is clipped to 1.
        Assert.Equal(1.0, train.GetProperty("ciHigh").GetDouble());

        // Final test accuracies 0.6, 0.3, 0.5: mean 1.4/3, variance (0.4/3)^2 + (0.5/3)^2 + (0.1/3)^2, halved.
        Assert.Equal(1.4 / 3, test.GetProperty("mean").GetDouble(), Tolerance);
        Assert.Equal(Math.Sqrt(0.42 / 18), test.GetProperty("std").GetDouble(), Tolerance);
        Assert.Equal(0.3, test.GetProperty("min").GetDouble());
        Assert.Equal(0.6, test.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task Summary_RunThatNeverFits_ListsNullEpochsToFit()
    {
        await ResultFixtures.StoreAsync(Host);

        var summary = await GetSummaryAsync();
        var epochsToFit = Cohort(summary, "mlp").GetProperty("epochsToFit").EnumerateArray().ToList();

        Assert.Equal(3, epochsToFit.Count);
        Assert.Equal(2, epochsToFit[0].GetInt32());
        Assert.Equal(JsonValueKind.Null, epochsToFit[1].ValueKind);
        Assert.Equal(1, epochsToFit[2].GetInt32());
    }

    [Fact]
    public async Task Summary_OneCountedRun_HasNullStdAndInterval()
    {
        await ResultFixtures.StoreAsync(Host);

        var summary = await GetSummaryAsync();
        var cnn = Cohort(summary, "cnn");
        var train = cnn.GetProperty("trainAccuracy");

        Assert.Equal(1, cnn.GetProperty("n").GetInt32());
        Assert.Equal([0], cnn.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(0.5, train.GetProperty("mean").GetDouble());
        Assert.Equal(JsonValueKind.Null, train.GetProperty("std").ValueKind);
        Assert.Equal(JsonValueKind.Null, train.GetProperty("ciLow").ValueKind);
        Assert.Equal(JsonValueKind.Null, train.GetProperty("ciHigh").ValueKind);
        Assert.Equal(JsonValueKind.Null, cnn.GetProperty("epochsToFit")[0].ValueKind);
    }

    [Fact]
    public async Task Summary_WithoutTestSplit_HasNullTestAccuracy()
    {
        await ResultFixtures.StoreAsync(Host, testSamples: 0);

        var summary = await GetSummaryAsync();

        Assert.Equal(JsonValueKind.Null, Cohort(summary, "mlp").GetProperty("testAccuracy").ValueKind);
        Assert.Equal(JsonValueKind.Object, Cohort(summary, "mlp").GetProperty("trainAccuracy").ValueKind);
    }

    [Fact]
    public async Task Summary_RerunOfSeed_CountsNewestRun()
    {
        await ResultFixtures.StoreAsync(Host);
        await ResultFixtures.AddRunAsync(Host, "mlp-1-rerun", "mlp", seed: 1, trainAccuracy: 1.0);

        var summary = await GetSummaryAsync();
        var mlp = Cohort(summary, "mlp");

        Assert.Equal(3, mlp.GetProperty("n").GetInt32());
        Assert.Equal(1.0, mlp.GetProperty("trainAccuracy").GetProperty("min").GetDouble());
        Assert.Equal(1, mlp.GetProperty("epochsToFit")[1].GetInt32());
    }

    [Fact]
    public async Task Summary_CancelledRerun_KeepsEarlierRun()
    {
        await ResultFixtures.StoreAsync(Host);
        var before = Cohort(await GetSummaryAsync(), "mlp").GetProperty("trainAccuracy").GetProperty("mean").GetDouble();
        await ResultFixtures.AddRunAsync(Host, "mlp-1-rerun", "mlp", seed: 1, trainAccuracy: 0.01, RunStatus.Cancelled);

        var mlp = Cohort(await GetSummaryAsync(), "mlp");

        Assert.Equal(3, mlp.GetProperty("n").GetInt32());
        Assert.Equal(before, mlp.GetProperty("trainAccuracy").GetProperty("mean").GetDouble());
        Assert.NotEqual(0.01, mlp.GetProperty("trainAccuracy").GetProperty("min").GetDouble());
    }

    [Fact]
    public async Task Summary_RunningRerun_CountedAsNotCompleted()
    {
        await ResultFixtures.StoreAsync(Host);
        await ResultFixtures.AddRunAsync(Host, "mlp-1-rerun", "mlp", seed: 1, trainAccuracy: 1.0, RunStatus.Running);

        var summary = await GetSummaryAsync();
        var mlp = Cohort(summary, "mlp");

        // Seed 1 counts with the running rerun's latest epoch, so a script must be able to tell that the mean may change.
        Assert.Equal(3, mlp.GetProperty("n").GetInt32());
        Assert.Equal(1, mlp.GetProperty("notCompleted").GetInt32());
        Assert.Equal(0, Cohort(summary, "cnn").GetProperty("notCompleted").GetInt32());
    }

    [Fact]
    public async Task Summary_CompletedRuns_NoneNotCompleted()
    {
        await ResultFixtures.StoreAsync(Host);

        var summary = await GetSummaryAsync();

        Assert.Equal(0, Cohort(summary, "mlp").GetProperty("notCompleted").GetInt32());
    }

    [Fact]
    public async Task Csv_TwentyThousandEpochs_KeepsEveryRow()
    {
        await ResultFixtures.StoreAsync(Host);
        await ResultFixtures.AddLongRunAsync(Host, "mlp-long", 20_000);

        var metrics = (await Client.GetStringAsync("/api/runs/mlp-long/metrics.csv", Cancellation)).TrimEnd('\n').Split('\n');
        var export = (await Client.GetStringAsync($"/api/experiments/{ResultFixtures.ExperimentId}/export.csv", Cancellation))
            .TrimEnd('\n').Split('\n');

        // Charts plot at most 2,000 points per series, but the downloads keep every stored epoch.
        Assert.Equal(20_001, metrics.Length);
        Assert.StartsWith("1,", metrics[1]);
        Assert.StartsWith("20000,", metrics[^1]);
        Assert.Equal(20_000, export.Count(line => line.Contains(",mlp-long,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Summary_RandomLabelCondition_HasSlowdownFactor()
    {
        await ResultFixtures.StoreLabelConditionsAsync(Host);

        var summary = await GetSummaryAsync();
        var cohorts = summary.GetProperty("cohorts").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("model").GetString(), c.GetProperty("condition").GetString()));

        // cnn: mean 12 epochs on random labels against mean 3 on true labels.
        Assert.Equal(4.0, cohorts[("cnn", "random")].GetProperty("slowdownFactor").GetDouble(), Tolerance);
        Assert.Equal(JsonValueKind.Null, cohorts[("cnn", "true")].GetProperty("slowdownFactor").ValueKind);

        // The mlp's random-label run never fit, so there is no mean to compare.
        Assert.Equal(JsonValueKind.Null, cohorts[("mlp", "random")].GetProperty("slowdownFactor").ValueKind);
    }

    [Fact]
    public async Task Summary_NoConditions_HasNullSlowdownFactor()
    {
        await ResultFixtures.StoreAsync(Host);

        var summary = await GetSummaryAsync();

        Assert.Equal(JsonValueKind.Null, Cohort(summary, "mlp").GetProperty("slowdownFactor").ValueKind);
    }

    [Fact]
    public async Task Summary_UnknownExperiment_Returns404()
    {
        var response = await Client.GetAsync("/api/experiments/nope/summary", Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ExportCsv_Fixture_HasHeaderAndRowPerRunEpoch()
    {
        await ResultFixtures.StoreAsync(Host);

        var response = await Client.GetAsync($"/api/experiments/{ResultFixtures.ExperimentId}/export.csv", Cancellation);
        var lines = (await response.Content.ReadAsStringAsync(Cancellation)).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var first = lines[1].Split(',');

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{ResultFixtures.ExperimentId}.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(string.Join(',', ExportTable.Columns), lines[0]);
        Assert.Contains("training.learningRate", header);
        Assert.Equal(8, lines.Length);
        Assert.Equal("mlp-0", first[Array.IndexOf(header, "runId")]);
        Assert.Equal("mlp", first[Array.IndexOf(header, "kind")]);
        Assert.Equal("completed", first[Array.IndexOf(header, "status")]);
        Assert.Equal("", first[Array.IndexOf(header, "condition")]);
        Assert.Equal("0.5", first[Array.IndexOf(header, "trainAccuracy")]);
        Assert.Equal("10", first[Array.IndexOf(header, "data.testSamples")]);
        Assert.Equal("adam", first[Array.IndexOf(header, "training.optimizer")]);
        Assert.Equal("0.001", first[Array.IndexOf(header, "training.learningRate")]);
    }

    [Fact]
    public async Task ExportJson_Fixture_HasModelFields()
    {
        await ResultFixtures.StoreAsync(Host);

        var response = await Client.GetAsync($"/api/experiments/{ResultFixtures.ExperimentId}/export.json", Cancellation);
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.EnumerateArray().ToList();
        var mlp = rows.First(row => row.GetProperty("runId").GetString() == "mlp-0");
        var cnn = rows.First(row => row.GetProperty("runId").GetString() == "cnn-0");
        var conv = cnn.GetProperty("model.conv").EnumerateArray().Single();

        Assert.Equal(2, conv.GetProperty("filters").GetInt32());
        Assert.Equal(3, conv.GetProperty("kernel").GetInt32());
        Assert.Equal("max", conv.GetProperty("pool").GetString());
        Assert.Equal(0, cnn.GetProperty("model.hidden").GetArrayLength());
        Assert.Equal([4], mlp.GetProperty("model.hidden").EnumerateArray().Select(width => width.GetInt32()));
        Assert.Equal(0, mlp.GetProperty("model.conv").GetArrayLength());
        Assert.Equal(0, mlp.GetProperty("model.dense").GetArrayLength());
        Assert.False(mlp.GetProperty("model.globalPool").GetBoolean());
        Assert.Equal(0, mlp.GetProperty("model.dropout").GetDouble());
        Assert.False(mlp.GetProperty("model.batchNorm").GetBoolean());
        Assert.Equal("keras", mlp.GetProperty("model.init").GetString());
        Assert.Equal(0, mlp.GetProperty("model.weightDecay").GetDouble());
    }

    [Fact]
    public async Task ExportCsv_Fixture_HasModelFields()
    {
        await ResultFixtures.StoreAsync(Host);

        var response = await Client.GetAsync($"/api/experiments/{ResultFixtures.ExperimentId}/export.csv", Cancellation);
        var lines = (await response.Content.ReadAsStringAsync(Cancellation)).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var mlp = lines[1].Split(',');
        var cnn = lines[^1];

        Assert.Equal("mlp-0", mlp[Array.IndexOf(header, "runId")]);
        Assert.Equal("[4]", mlp[Array.IndexOf(header, "model.hidden")]);
        Assert.Equal("[]", mlp[Array.IndexOf(header, "model.conv")]);
        Assert.Equal("keras", mlp[Array.IndexOf(header, "model.init")]);
        Assert.Contains("\"[{\"\"filters\"\":2,\"\"kernel\"\":3,", cnn);
    }

    [Fact]
    public async Task ExportJson_Fixture_HasObjectPerRunEpoch()
    {
        await ResultFixtures.StoreAsync(Host);

        var response = await Client.GetAsync($"/api/experiments/{ResultFixtures.ExperimentId}/export.json", Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        var rows = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        var last = rows[^1];

        Assert.Equal($"{ResultFixtures.ExperimentId}.json", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(7, rows.Count);
        Assert.Equal("cnn-0", last.GetProperty("runId").GetString());
        Assert.Equal("cnn", last.GetProperty("kind").GetString());
        Assert.Equal(0, last.GetProperty("seed").GetInt32());
        Assert.Equal(0.5, last.GetProperty("trainAccuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("training.dataSeed").ValueKind);
    }
}
