using System.Text.Json.Serialization;

namespace RandomFit.Training.Analysis;

/// <summary>The outcome of testing a claim against its measured quantity.</summary>
public enum ClaimVerdict
{
    [JsonStringEnumMemberName("supported")] Supported,
    [JsonStringEnumMemberName("refuted")] Refuted,
    [JsonStringEnumMemberName("inconclusive")] Inconclusive,
}

/// <summary>Which side of the threshold the claim predicts for its quantity.</summary>
public enum ClaimSide
{
    [JsonStringEnumMemberName("below")] Below,
    [JsonStringEnumMemberName("above")] Above,
}

/// <summary>The final metrics of one completed run, as the claims use them.</summary>
public sealed record RunFinal(string RunId, string Model, string? Condition, int Seed, double TrainAccuracy, double? TestAccuracy);

/// <summary>A claim's quantity summarized over seeds, with the verdict and the sentence that explains it.</summary>
/// <param name="Values">The quantity per seed, in ascending seed order.</param>
public sealed record ClaimEvaluation(
    IReadOnlyList<SeedValue> Values,
    SampleSummary? Summary,
    ClaimVerdict Verdict,
    string Reason);

/// <summary>A claim's quantity measured on the runs of one seed.</summary>
public sealed record SeedValue(int Seed, double Value);
