using System.ComponentModel.DataAnnotations;

namespace RandomFit.Training.Specs;

/// <summary>Budgets a spec must fit before it is queued, bound from <c>RandomFit:Limits</c>.</summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section of these options.</summary>
    public const string Section = "RandomFit:Limits";

    /// <summary>Maximum trainable parameters per model.</summary>
    [Range(1, long.MaxValue)] public long MaxParameters { get; set; } = 50_000_000;

    /// <summary>Maximum training epochs.</summary>
    [Range(1, int.MaxValue)] public int MaxEpochs { get; set; } = 100_000;

    /// <summary>Maximum training plus test samples.</summary>
    [Range(1, long.MaxValue)] public long MaxSamples { get; set; } = 1_000_000;

    /// <summary>Maximum seeds per experiment.</summary>
    [Range(1, int.MaxValue)] public int MaxSeeds { get; set; } = 100;

    /// <summary>Maximum estimated memory of one run, in bytes.</summary>
    [Range(1, long.MaxValue)] public long MaxMemoryBytes { get; set; } = 8_589_934_592;
}
