using RandomFit.Training.Specs;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>Initializes convolution and linear layers from a run's own generator.</summary>
internal static class WeightInit
{
    /// <summary>
    /// Overwrites the weights and biases of every convolution and linear layer, in module order.
    /// <c>keras</c> is glorot-uniform weights and zero biases; <c>pytorch</c> is PyTorch's default,
    /// uniform in ±1/sqrt(fan_in) for both. <c>init.xavier_uniform_</c> takes no generator, hence the explicit bounds.
    /// </summary>
    /// <remarks>
    /// In TorchSharp 0.107, <c>nn.init.uniform_(tensor, low, high, generator)</c> ignores its generator: two generators
    /// with one seed give different weights. <c>Tensor.uniform_(low, high, generator)</c> honors it, so it is used here.
    /// </remarks>
    public static void Apply(nn.Module module, InitKind kind, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var layer in module.modules())
        {
            var (weight, bias) = layer switch
            {
                TorchSharp.Modules.Conv2d conv => (conv.weight, conv.bias),
                TorchSharp.Modules.Linear linear => (linear.weight, linear.bias),
                _ => (null, null),
            };
            if (weight is null)
            {
                continue;
            }

            var receptiveField = weight.shape.Skip(2).Aggregate(1L, (product, side) => product * side);
            var fanIn = weight.shape[1] * receptiveField;
            var fanOut = weight.shape[0] * receptiveField;
            if (kind == InitKind.Keras)
            {
                var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
                weight.uniform_(-bound, bound, generator);
                if (bias is not null)
                {
                    nn.init.zeros_(bias);
                }
            }
            else
            {
                var bound = 1.0 / Math.Sqrt(fanIn);
                weight.uniform_(-bound, bound, generator);
                if (bias is not null)
                {
                    bias.uniform_(-bound, bound, generator);
                }
            }
        }
    }
}
