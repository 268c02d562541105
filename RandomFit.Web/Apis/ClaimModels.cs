using RandomFit.Training.Analysis;

namespace RandomFit.Web.Apis;

/// <summary>One of the article's claims with its measured quantity and verdict, as <c>GET /api/claims</c> returns it.</summary>
/// <param name="ExperimentId">
/// The experiment of the claim's preset with the most completed seeds (the newest on a tie), or null when none.
/// </param>
/// <param name="Measured">The quantity over seeds; null without completed runs.</param>
public sealed record ClaimItem(
    int Number,
    string Text,
    string Preset,
    string Quantity,
    double Threshold,
    ClaimSide Side,
    string? ExperimentId,
    string? ExperimentUrl,
    ClaimMeasurement? Measured,
    ClaimVerdict Verdict,
    string Reason,
    IReadOnlyList<ClaimRunLink> Runs);

/// <summary>
/// A claim's quantity: its mean over seeds, the 95% t-interval clipped to the range the quantity can take (null for one
/// seed) and the per-seed values.
/// </summary>
public sealed record ClaimMeasurement(int N, double Mean, double? CiLow, double? CiHigh, IReadOnlyList<SeedValue> Values);

/// <summary>A completed run that a claim's quantity was measured on.</summary>
public sealed record ClaimRunLink(string Id, string Url, string Model, int Seed);
