namespace RandomFit.Tests;

/// <summary>Tests that train with libtorch; they run one at a time so timings and thread counts stay predictable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
