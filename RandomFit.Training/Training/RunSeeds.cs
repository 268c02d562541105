using RandomFit.Training.Specs;

namespace RandomFit.Training.Training;

/// <summary>
/// The seeds of a run's three sources of randomness: data, initial weights and batch order (dropout masks included).
/// Each is the run's seed unless the spec pins it.
/// </summary>
public sealed record RunSeeds(int Data, int Init, int Order)
{
    internal const ulong DataStream = 1;
    internal const ulong InitStream = 2;
    internal const ulong OrderStream = 3;
    internal const ulong DropoutStream = 4;

    /// <summary>Resolves the seeds of a run from the training spec's pinned values and the run's seed.</summary>
    public static RunSeeds For(TrainingSpec training, int runSeed) =>
        new(training.DataSeed ?? runSeed, training.InitSeed ?? runSeed, training.OrderSeed ?? runSeed);

    /// <summary>
    /// Mixes a seed with a stream number (SplitMix64's finalizer) into a generator seed. Seeding every source with the
    /// same integer would give them the same stream, so the first weights would equal a scaled copy of the first inputs.
    /// </summary>
    internal static ulong Derive(int seed, ulong stream)
    {
        var z = ((ulong)(uint)seed << 8 | stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
