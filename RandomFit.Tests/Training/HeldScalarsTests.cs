using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>
/// The stacked forward pass and the per-batch loss helpers under constant garbage collection. A Scalar that TorchSharp makes from a
/// number argument can be finalized during the native call unless the caller keeps it alive.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class HeldScalarsTests
{
    [Fact]
    public void StackedForwardAndLoss_ConstantCollection_NeverFail()
    {
        var model = new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [4] };
        var data = new DataSpec { Shape = new ShapeSpec { Channels = 1, Height = 2, Width = 2 }, TrainSamples = 4, Classes = 3 };
        using var generator = new Generator(1, CPU);
        using var network = StackedNetwork.Build(model, data, [generator, generator], CPU);
        using var inputs = randn([2, 4, 1, 2, 2]);
        using var logits = randn(2, 4, 3);
        using var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }).reshape(2, 4);
        using var binaryLogits = randn(2, 4, 1);
        using var binaryLabels = tensor(new long[] { 0, 1, 1, 0, 1, 0, 0, 1 }).reshape(2, 4);

        var failures = ConstantCollection.Run(
            () =>
            {
                using var scope = NewDisposeScope();
                network.Forward(inputs);
                Objective.StackedLossGradient(logits, labels);
                Objective.StackedLossGradient(binaryLogits, binaryLabels);
                Objective.StackedCorrectCount(binaryLogits, binaryLabels);
            },
            count: 50_000);

        Assert.Empty(failures);
    }
}
