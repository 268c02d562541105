namespace RandomFit.Tests;

/// <summary>Tests that train share libtorch and the two CPU cores, so they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
