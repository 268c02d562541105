using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>
/// Inverted dropout that draws its masks from a run's own generator. TorchSharp's dropout takes no generator and
/// would draw from torch's global one, which concurrent runs share, so their results would depend on each other.
/// </summary>
internal sealed class SeededDropout(double probability, Generator generator)
    : nn.Module<Tensor, Tensor>(nameof(SeededDropout))
{
    public override Tensor forward(Tensor input)
    {
        if (!training)
        {
            return input.alias();
        }

        using var draws = rand(input.shape, dtype: input.dtype, device: input.device, generator: generator);
        // Held until the calls return, because TorchSharp does not keep the Scalar of a number argument alive.
        using Scalar threshold = probability;
        using Scalar keptShare = 1 - probability;
        using var keep = draws.ge(threshold).to_type(input.dtype);
        using var kept = input.mul(keep);
        return kept.div(keptShare);
    }
}
