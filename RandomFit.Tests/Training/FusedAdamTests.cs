using RandomFit.Training.Training;
using TorchSharp.Modules;
using static RandomFit.Tests.Training.OptimizerSteps;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>The one-pass Adam update against TorchSharp's Adam on the same parameters and gradients.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedAdamTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void FusedAdam_FiftySteps_MatchesTorchSharpAdam(double weightDecay)
    {
        var (fused, plain) = TrainBoth(ScalarType.Float32, weightDecay, steps: 50);

        var difference = (fused - plain).abs().max().item<float>();
        Assert.True(difference < 1e-6f, $"The updates differ by {difference}.");
        Assert.True(fused.sub(Start(ScalarType.Float32)).abs().min().item<float>() > 0, "Some parameter did not move.");
    }

    [Fact]
    public void FusedAdam_Float64Parameter_UsesTorchSharpStep()
    {
        var (fused, plain) = TrainBoth(ScalarType.Float64, weightDecay: 0, steps: 5);

        Assert.True(Same(fused, plain));
    }

    [Fact]
    public void FusedAdam_ParameterWithoutGradient_StaysUnchanged()
    {
        using var trained = new Parameter(Start(ScalarType.Float32));
        using var frozen = new Parameter(Start(ScalarType.Float32));
        using var optimizer = new FusedAdam([trained, frozen], learningRate: 0.01, epsilon: 1e-7, weightDecay: 0);

        trained.grad = ones_like(trained);
        optimizer.step();

        Assert.True(Same(frozen, Start(ScalarType.Float32)));
        Assert.False(Same(trained, Start(ScalarType.Float32)));
    }

    [Fact]
    public void FusedAdam_ReloadedState_MatchesUninterrupted()
    {
        var (uninterrupted, resumed) = TrainAndResume(
            parameter => new FusedAdam([parameter], learningRate: 0.01, epsilon: 1e-7, weightDecay: 0));

        Assert.True(Same(resumed, uninterrupted));
    }

    private static (Tensor Fused, Tensor Plain) TrainBoth(ScalarType type, double weightDecay, int steps) =>
        OptimizerSteps.TrainBoth(
            type,
            steps,
            parameter => new FusedAdam([parameter], learningRate: 0.01, epsilon: 1e-7, weightDecay),
            parameter => optim.Adam([parameter], 0.01, eps: 1e-7, weight_decay: weightDecay));
}
