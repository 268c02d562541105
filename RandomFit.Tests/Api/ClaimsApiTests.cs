using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Api;

public sealed class ClaimsApiTests : IAsyncDisposable
{
    private readonly RandomFitHostFactory _host = new();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetClaims_CnnFitsOnFiveSeeds_RefutesClaimOne()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 0.99, 1.0, 0.98, 1.0]);

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);

        var first = claims[0];
        Assert.Equal(4, claims.GetArrayLength());
        Assert.Equal("refuted", first.GetProperty("verdict").GetString());
        Assert.Equal("exp-claims", first.GetProperty("experimentId").GetString());
        Assert.Equal(0.994, first.GetProperty("measured").GetProperty("mean").GetDouble(), 1e-9);
        Assert.Equal(5, first.GetProperty("runs").GetArrayLength());
        Assert.Equal("/runs/run-0", first.GetProperty("runs")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task GetClaims_IntervalPastOne_ClippedToOne()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 0.99, 1.0, 0.98, 1.0]);

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);
        var html = await client.GetStringAsync("/claims", TestContext.Current.CancellationToken);

        var measured = claims[0].GetProperty("measured");
        Assert.Equal(1.0, measured.GetProperty("ciHigh").GetDouble());
        Assert.Equal(0.9829, measured.GetProperty("ciLow").GetDouble(), 1e-4);
        Assert.Contains("Mean 0.994 over 5 seeds, 95% interval [0.983, 1.000].", html);
        Assert.Contains("The 95% interval over 5 seeds is [0.983, 1.000] for the CNN&#x27;s final train accuracy.", html);
        Assert.DoesNotContain("1.005", html);
    }

    [Fact]
    public async Task ClaimsPage_RunsStillTraining_NamesThem()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 0.99]);
        await StoreCompletedAsync("article-example-1", "cnn", [0.5], experimentId: "exp-later", sequence: 2, status: RunStatus.Running);

        var html = await client.GetStringAsync("/claims", TestContext.Current.CancellationToken);

        Assert.Contains("1 run of preset article-example-1 is still", html);
        Assert.Contains("href=\"/experiments/exp-later\"", html);
        Assert.Contains("The verdict counts completed runs only, so it may change when they finish.", html);
        Assert.DoesNotContain("of preset article-example-3 is still", html);
    }

    [Fact]
    public async Task GetClaims_NoExperiments_AreInconclusiveWithoutExperiment()
    {
        using var client = _host.CreateClient();

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);

        Assert.All(claims.EnumerateArray(), claim => Assert.Equal("inconclusive", claim.GetProperty("verdict").GetString()));
        Assert.Equal(JsonValueKind.Null, claims[3].GetProperty("experimentId").ValueKind);
        Assert.Equal("article-example-3", claims[3].GetProperty("preset").GetString());
    }

    [Fact]
    public async Task ClaimsPage_MeasuredClaim_NamesExperimentUsed()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 0.99, 1.0, 0.98, 1.0]);

        var html = await client.GetStringAsync("/claims", TestContext.Current.CancellationToken);

        Assert.Contains(
            "Measured on the experiment of preset article-example-1 with the most completed seeds (the newest on a",
            html);
        Assert.Contains("href=\"/experiments/exp-claims\"", html);
    }

    [Fact]
    public async Task GetClaims_NewerSmallExperiment_KeepsLargestAndNewestRunPerSeed()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 0.99, 1.0, 0.98, 1.0]);
        await StoreCompletedAsync("article-example-1", "cnn", [0.1], "exp-quick", sequence: 2);
        await StoreRerunAsync("exp-claims", "cnn", seed: 0, finalTrainAccuracy: 0.97);

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);
        var first = claims[0];

        Assert.Equal("exp-claims", first.GetProperty("experimentId").GetString());
        Assert.Equal(5, first.GetProperty("measured").GetProperty("n").GetInt32());
        Assert.Equal(
            ["rerun-0", "run-1", "run-2", "run-3", "run-4"],
            first.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task GetClaims_RerunsDoNotOutweighSeeds_PicksMostSeeds()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], "exp-six");
        await StoreCompletedAsync("article-example-1", "cnn", [1.0, 1.0, 1.0, 1.0, 1.0], sequence: 2);
        await StoreRerunAsync("exp-claims", "cnn", seed: 0, finalTrainAccuracy: 1.0);
        await StoreRerunAsync("exp-claims", "cnn", seed: 1, finalTrainAccuracy: 1.0);

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);

        Assert.Equal("exp-six", claims[0].GetProperty("experimentId").GetString());
        Assert.Equal(6, claims[0].GetProperty("measured").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task GetClaims_UnpairedSeeds_NotListedAsEvidence()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("cnn-vs-mlp", "cnn", [0.9, 0.9, 0.9], "exp-pairs");
        foreach (var seed in new[] { 1, 2, 3 })
        {
            await StoreRerunAsync("exp-pairs", "mlp", seed, finalTrainAccuracy: 1.0);
        }

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);
        var pairs = claims[1];

        Assert.Equal(2, pairs.GetProperty("measured").GetProperty("n").GetInt32());
        Assert.Equal(["cnn 1", "cnn 2", "mlp 1", "mlp 2"], RunLabels(pairs));
    }

    [Fact]
    public async Task GetClaims_UnmeasuredModel_NotEvidence()
    {
        using var client = _host.CreateClient();
        await StoreCompletedAsync("pooling-ablation", "cnn-max", [1.0, 1.0], "exp-pool");
        foreach (var seed in new[] { 0, 1 })
        {
            await StoreRerunAsync("exp-pool", "cnn-none", seed, finalTrainAccuracy: 1.0, $"none-{seed}", sequenceOffset: 100);
            await StoreRerunAsync("exp-pool", "cnn-avg", seed, finalTrainAccuracy: 1.0, $"avg-{seed}", sequenceOffset: 200);
        }

        var claims = await client.GetFromJsonAsync<JsonElement>("/api/claims", TestContext.Current.CancellationToken);
        var pooling = claims[2];

        Assert.Equal(2, pooling.GetProperty("measured").GetProperty("n").GetInt32());
        Assert.Equal(["cnn-max 0", "cnn-max 1", "cnn-none 0", "cnn-none 1"], RunLabels(pooling));
    }

    // Writes an experiment of the preset with one completed run per seed, each ending at the given train accuracy.
    private async Task StoreCompletedAsync(
        string presetId,
        string model,
        double[] finalTrainAccuracies,
        string experimentId = "exp-claims",
        int sequence = 1,
        RunStatus status = RunStatus.Completed)
    {
        var factory = _host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var experiment = new ExperimentEntity
        {
            Id = experimentId,
            Name = "fixture",
            Preset = presetId,
            Sequence = sequence,
            CreatedAt = DateTimeOffset.UtcNow,
            SpecJson = JsonSerializer.Serialize(Presets.Find(presetId)!.Spec, SpecJson.Options),
        };
        for (var seed = 0; seed < finalTrainAccuracies.Length; seed++)
        {
            var run = new RunEntity
            {
                Id = $"{(experimentId == "exp-claims" ? "run" : experimentId)}-{seed}",
                ExperimentId = experiment.Id,
                Model = model,
                Seed = seed,
                Status = status,
                TotalEpochs = 2,
                Sequence = sequence * 1000 + seed + 1,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            run.Epochs.Add(new EpochEntity { RunId = run.Id, Epoch = 1, TrainLoss = 0.7, TrainAccuracy = 0.5 });
            run.Epochs.Add(new EpochEntity { RunId = run.Id, Epoch = 2, TrainLoss = 0.1, TrainAccuracy = finalTrainAccuracies[seed] });
            experiment.Runs.Add(run);
        }

        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    // Adds a later completed run of the same model and seed to an experiment, as a rerun does.
    private async Task StoreRerunAsync(
        string experimentId,
        string model,
        int seed,
        double finalTrainAccuracy,
        string? runId = null,
        int sequenceOffset = 0)
    {
        var factory = _host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var run = new RunEntity
        {
            Id = runId ?? $"rerun-{seed}",
            ExperimentId = experimentId,
            Model = model,
            Seed = seed,
            Status = RunStatus.Completed,
            TotalEpochs = 1,
            Sequence = 99_000 + sequenceOffset + seed,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(1),
        };
        run.Epochs.Add(new EpochEntity { RunId = run.Id, Epoch = 1, TrainLoss = 0.1, TrainAccuracy = finalTrainAccuracy });
        db.Runs.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    // Each evidence run of a claim as "model seed", sorted by ordinal comparison.
    private static IEnumerable<string> RunLabels(JsonElement claim) =>
        claim.GetProperty("runs").EnumerateArray()
            .Select(run => $"{run.GetProperty("model").GetString()} {run.GetProperty("seed").GetInt32()}")
            .Order(StringComparer.Ordinal);
}
