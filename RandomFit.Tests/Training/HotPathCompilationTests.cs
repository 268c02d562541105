using System.Reflection;
using RandomFit.Training.Training;

namespace RandomFit.Tests.Training;

/// <summary>
/// The methods that run every epoch are compiled optimized on first use. Without that the runtime recompiles them
/// during the first seconds of training, and the resident set of article-example-3 grew by 7% instead of 4.5% from
/// epoch 10 to epoch 1,000 (docs/benchmarks.md).
/// </summary>
public sealed class HotPathCompilationTests
{
    public static TheoryData<Type, string> EpochMethods => new()
    {
        { typeof(EpochLoop), nameof(EpochLoop.TrainOneEpoch) },
        { typeof(EpochLoop), nameof(EpochLoop.Evaluate) },
        { typeof(EpochLoop), nameof(EpochLoop.EvaluateTwo) },
        { typeof(StackedEpochLoop), nameof(StackedEpochLoop.TrainOneEpoch) },
        { typeof(StackedEpochLoop), nameof(StackedEpochLoop.Evaluate) },
        { typeof(StackedEpochLoop), nameof(StackedEpochLoop.EvaluateTwo) },
        { typeof(FusedAdam), nameof(FusedAdam.step) },
        { typeof(FusedAdam), "UpdateRange" },
        { typeof(FusedSgd), nameof(FusedSgd.step) },
        { typeof(NarrowLogits), nameof(NarrowLogits.AddLossAndHits) },
        { typeof(NarrowLogits), nameof(NarrowLogits.LossGradient) },
        { typeof(NarrowLogits), "LossAndHits" },
        { typeof(NarrowLogits), "Gradient" },
        { typeof(FusedSgd), "UpdateRange" },
        { typeof(DenseKernels), nameof(DenseKernels.Affine) },
        { typeof(DenseKernels), nameof(DenseKernels.WeightGradient) },
        { typeof(DenseKernels), "Multiply" },
        { typeof(DenseKernels), "Tile" },
        { typeof(DenseKernels), "Strip" },
        { typeof(NarrowHead), nameof(NarrowHead.Gradients) },
        { typeof(NarrowHead), "Seed" },
        { typeof(NarrowHead), "Logits" },
        { typeof(NarrowHead), "WeightGradient" },
        { typeof(NarrowHead), "InputGradient" },
        { typeof(EpochShuffle), nameof(EpochShuffle.Gather) },
        { typeof(EpochShuffle), "CopyRows" },
        { NestedType(typeof(Trainer), "EpochRunner"), "Run" },
        { NestedType(typeof(Trainer), "StackedCohort"), "Run" },
    };

    [Theory]
    [MemberData(nameof(EpochMethods))]
    public void EpochMethod_IsCompiledOptimizedOnFirstUse(Type type, string name)
    {
        var method = type.GetMethod(
            name,
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);

        Assert.NotNull(method);
        Assert.True(
            method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization),
            $"{type.Name}.{name} lacks MethodImplOptions.AggressiveOptimization.");
    }

    private static Type NestedType(Type outer, string name) =>
        outer.GetNestedType(name, BindingFlags.NonPublic) ?? throw new InvalidOperationException($"{outer.Name} has no {name}.");
}
