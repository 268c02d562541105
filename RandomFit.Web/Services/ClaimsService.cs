using RandomFit.Training.Analysis;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

/// <summary>Tests the article's claims against the stored runs of their presets.</summary>
public sealed class ClaimsService(IExperimentService experiments, IRunService runs)
{
    /// <summary>The rule every verdict follows, for the page and the API's readers.</summary>
    public const string Rule =
        "A claim is supported when the 95% t-interval of its quantity over seeds lies wholly on the claim's side of "
        + "its threshold, refuted when it lies wholly on the other side, and inconclusive otherwise. Intervals are shown "
        + "clipped to the range the quantity can take, such as 0 to 1 for an accuracy.";

    /// <summary>
    /// Evaluates every claim on the experiment of its preset with the most completed seeds, the newest on a tie, so
    /// a quick one-seed trial does not replace a large measurement.
    /// </summary>
    public async Task<IReadOnlyList<ClaimItem>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var items = new List<ClaimItem>();
        foreach (var claim in ArticleClaims.All)
        {
            items.Add(await EvaluateAsync(claim, cancellationToken));
        }

        return items;
    }

    /// <summary>Starts the claim's preset with the claims' seeds and returns the new experiment's id.</summary>
    /// <exception cref="RequestValidationException">The preset no longer validates.</exception>
    public async Task<string> StartAsync(int claimNumber, CancellationToken cancellationToken)
    {
        var claim = ArticleClaims.All.Single(c => c.Number == claimNumber);
        var request = new CreateExperimentRequest { Preset = claim.PresetId, Seeds = ArticleClaims.Seeds };
        var created = await experiments.CreateAsync(request, cancellationToken);
        return created.Id;
    }

    private async Task<ClaimItem> EvaluateAsync(Claim claim, CancellationToken cancellationToken)
    {
        var experiment = await FindMostCompletedAsync(claim.PresetId, cancellationToken);
        var finals = new List<RunFinal>();
        var links = new List<ClaimRunLink>();
        foreach (var run in NewestCompletedPerSeed(experiment?.Runs ?? []))
        {
            var details = await runs.GetAsync(run.Id, cancellationToken);
            if (details is not { Epochs.Count: > 0 })
            {
                continue;
            }

            var last = details.Epochs[^1];
            finals.Add(new RunFinal(run.Id, run.Model, run.Condition, run.Seed, last.TrainAccuracy, last.TestAccuracy));
            links.Add(new ClaimRunLink(run.Id, run.Url, run.Model, run.Seed));
        }

        var evaluation = claim.Evaluate(finals);

        // Only runs that entered the measurement are listed as evidence. A seed whose pair lacks one side gave no
        // value, and the quantity does not read every model, such as the pooling ablation's average-pool CNN.
        var measuredSeeds = evaluation.Values.Select(value => value.Seed).ToHashSet();
        links = [.. links.Where(link => measuredSeeds.Contains(link.Seed) && claim.Models.Contains(link.Model))];
        var measured = evaluation.Summary is { } summary
            ? new ClaimMeasurement(evaluation.Values.Count, summary.Mean, summary.CiLow, summary.CiHigh, evaluation.Values)
            : null;
        return new ClaimItem(
            claim.Number,
            claim.Text,
            claim.PresetId,
            claim.Quantity,
            claim.Threshold,
            claim.Side,
            experiment?.Id,
            experiment?.Url,
            measured,
            evaluation.Verdict,
            evaluation.Reason,
            links);
    }

    private async Task<ExperimentDetails?> FindMostCompletedAsync(string presetId, CancellationToken cancellationToken)
    {
        var page = await experiments.ListAsync(new ExperimentQuery(Preset: presetId, PageSize: 500), cancellationToken);
        // Ranked by completed seeds, not completed runs, so that reruns of one seed do not outweigh another seed.
        ExperimentDetails? chosen = null;
        var chosenSeeds = 0;
        foreach (var item in page.Items.Where(e => e.CompletedCount > 0).OrderByDescending(e => e.CreatedAt))
        {
            if (await experiments.GetAsync(item.Id, cancellationToken) is not { } details)
            {
                continue;
            }

            var seeds = NewestCompletedPerSeed(details.Runs).Count;
            if (seeds > chosenSeeds)
            {
                (chosen, chosenSeeds) = (details, seeds);
            }
        }

        return chosen;
    }

    // After a rerun a seed can have two completed runs, and only the newest completed one counts. (The summary counts
    // the newest run with epochs whatever its status, but a claim needs finished runs.)
    private static List<RunItem> NewestCompletedPerSeed(IEnumerable<RunItem> runs) =>
        [.. runs
            .Where(r => r.Status == RunStatus.Completed)
            .GroupBy(r => (r.Model, r.Condition, r.Seed))
            .Select(seed => seed.MaxBy(r => r.CreatedAt)!)
            .OrderBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Seed)];
}
