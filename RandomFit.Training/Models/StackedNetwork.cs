using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace RandomFit.Training.Models;

/// <summary>
/// K copies of one CNN or MLP with independent weights, run as one network: convolutions are grouped
/// (groups = K) and dense layers are batched matrix products (bmm) over K weight sets. Inputs are [K, B, C, H, W]
/// and logits [K, B, outputs]. No value of one copy reaches another, so each copy's gradient is its own.
/// Batch normalization and dropout are not supported; the validator rejects them for stacked execution.
/// </summary>
public sealed class StackedNetwork : IDisposable
{
    // Result columns below which Product computes the transposed product (see there).
    private const int NarrowProductColumns = 16;

    private readonly List<Func<Tensor, Tensor>> _convBlocks = [];
    private readonly List<(Parameter Weight, Parameter Bias)> _dense = [];
    private readonly List<Parameter> _parameters = [];
    private readonly bool _isCnn;
    private readonly bool _globalPool;

    private StackedNetwork(int count, bool isCnn, bool globalPool)
    {
        Count = count;
        _isCnn = isCnn;
        _globalPool = globalPool;
    }

    /// <summary>Number of stacked copies, K.</summary>
    public int Count { get; }

    /// <summary>Every trainable tensor, for the optimizer.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Returns the view of copy <paramref name="seed"/>'s values in a tensor shaped like one of
    /// <see cref="Parameters"/>, such as the parameter itself or an optimizer state of it. Every parameter keeps copy k
    /// in the k-th of K equal chunks along dimension 0: the filters k*F .. k*F+F-1 of a convolution, row k of a dense
    /// layer's [K, in, out] weight and [K, 1, out] bias.
    /// </summary>
    public Tensor SeedSlice(Tensor stacked, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seed, Count);
        var size = stacked.shape[0] / Count;
        return stacked.narrow(0, seed * size, size);
    }

    /// <summary>
    /// Builds K copies, copy k initialized from <paramref name="initGenerators"/>[k] exactly as
    /// <see cref="ModelBuilder.Build"/> initializes a separate model, then moves the stack to <paramref name="device"/>.
    /// </summary>
    public static StackedNetwork Build(ModelSpec model, DataSpec data, IReadOnlyList<Generator> initGenerators, Device device)
    {
        if (!SpecValidator.CanStack(model))
        {
            throw new ArgumentException("Stacked execution supports neither batch normalization nor dropout.", nameof(model));
        }

        // Separate models give each copy the very weights its separate run starts from.
        var weights = new List<List<(Tensor Weight, Tensor Bias)>>();
        using (var unusedDropout = new Generator(0, CPU))
        {
            foreach (var generator in initGenerators)
            {
                using var single = ModelBuilder.Build(model, data, generator, unusedDropout);
                weights.Add(LayerWeights(single));
            }
        }

        var count = initGenerators.Count;
        var network = new StackedNetwork(count, model.Kind == ModelKind.Cnn, model.GlobalPool);
        var layer = 0;
        foreach (var conv in model.Kind == ModelKind.Cnn ? model.Conv ?? [] : [])
        {
            // Copy k's filters are output channels k*F .. k*F+F-1 and read input group k.
            var weight = network.Add(cat(weights.Select(w => w[layer].Weight).ToList(), 0), device);
            var bias = network.Add(cat(weights.Select(w => w[layer].Bias).ToList(), 0), device);
            network._convBlocks.Add(ConvBlock(conv, weight, bias, count));
            layer++;
        }

        for (; layer < weights[0].Count; layer++)
        {
            // Stored as [K, in, out] and [K, 1, out]: bmm takes the first, the second broadcasts over the batch.
            var weight = network.Add(stack(weights.Select(w => w[layer].Weight.t()).ToList()), device);
            var bias = network.Add(stack(weights.Select(w => w[layer].Bias.unsqueeze(0)).ToList()), device);
            network._dense.Add((weight, bias));
        }

        foreach (var tensor in weights.SelectMany(w => w))
        {
            tensor.Weight.Dispose();
            tensor.Bias.Dispose();
        }

        return network;
    }

    /// <summary>Maps inputs [K, B, C, H, W] to logits [K, B, outputs].</summary>
    public Tensor Forward(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var count = inputs.shape[0];
        var batch = inputs.shape[1];
        Tensor hidden;
        if (_isCnn)
        {
            // [B, K*C, H, W], channels last: copy k's channels form group k of every grouped convolution.
            hidden = ChannelsLast.From(inputs.transpose(0, 1).reshape(batch, count * inputs.shape[2], inputs.shape[3], inputs.shape[4]));
            foreach (var block in _convBlocks)
            {
                hidden = block(hidden);
            }

            if (_globalPool)
            {
                hidden = adaptive_avg_pool2d(hidden, [1, 1]);
            }

            // Channels, then rows, then columns: the order a separate model's flatten gives.
            hidden = hidden.reshape(batch, count, -1).transpose(0, 1);
        }
        else
        {
            hidden = inputs.reshape(count, batch, -1);
        }

        // Autograd does not see the loops of DenseKernels, so they serve only passes that record no gradient.
        hidden = DenseLayers(hidden, kernelsAllowed: !is_grad_enabled());
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>Whether the network has dense layers only, so <see cref="SetDenseGradients"/> can train it.</summary>
    public bool IsDenseOnly => !_isCnn;

    /// <summary>
    /// Sets every parameter's gradient of the sum over copies of each copy's mean loss on inputs [K, B, ...], with
    /// the chain rule of the dense layers written out instead of recorded by autograd. For eight memorization MLPs
    /// this took 570 us a batch where autograd took 870 us. The gradients equal autograd's up to float rounding.
    /// </summary>
    public void SetDenseGradients(Tensor inputs, Tensor labels)
    {
        if (!IsDenseOnly)
        {
            throw new InvalidOperationException("This stacked network has conv blocks, so its gradients need autograd; check IsDenseOnly first.");
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var layerInputs = new Tensor[_dense.Count];
        var last = _dense.Count - 1;
        var lastInput = DenseLayers(inputs.reshape(inputs.shape[0], inputs.shape[1], -1), kernelsAllowed: true, layerInputs, last);
        layerInputs[last] = lastInput;

        Tensor gradient;
        Tensor? biasGradient = null;
        var below = last;
        var (lastWeight, lastBias) = _dense[last];
        if (NarrowHead.Applies(lastInput, lastWeight, labels))
        {
            // The output layer's step in one pass, which also returns the gradient of the ReLU's input below it.
            var head = NarrowHead.Gradients(lastInput, lastWeight, lastBias, labels, throughRelu: last > 0);
            lastWeight.grad = head.Weight;
            lastBias.grad = head.Bias;
            if (head.Input is null)
            {
                return;
            }

            gradient = head.Input;
            biasGradient = head.InputBias;
            below = last - 1;
        }
        else
        {
            var logits = DenseLayers(lastInput, kernelsAllowed: true, layerInputs: null, _dense.Count, first: last);
            gradient = Objective.StackedLossGradient(logits, labels);
        }

        for (var i = below; i >= 0; i--)
        {
            var (weight, bias) = _dense[i];
            var input = layerInputs[i];
            // The optimizer's one-pass update needs a contiguous gradient, which a narrow layer's product is not.
            weight.grad = DenseKernels.Applies(input, weight) && gradient.is_contiguous()
                ? DenseKernels.WeightGradient(input, gradient)
                : Product(input.transpose(1, 2), gradient).contiguous();
            bias.grad = biasGradient ?? gradient.sum([1], keepdim: true);
            if (i > 0)
            {
                // The input is a ReLU's output, which passed the gradient where it is positive.
                gradient = gradient.bmm(weight.transpose(1, 2));
                if (ReluGradient.Applies(gradient, input))
                {
                    biasGradient = ReluGradient.MaskAndSum(gradient, input);
                }
                else
                {
                    // Its sign is 1 where the ReLU passed the gradient and 0 where not.
                    gradient = gradient.mul_(input.sign());
                    biasGradient = null;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Dispose();
        }
    }

    /// <summary>
    /// Returns the batched matrix product of <paramref name="left"/> [K, M, N] and <paramref name="right"/>
    /// [K, N, P]. With 1, 2 or 10 result columns, libtorch's CPU bmm took 2.2x-4.7x as long as the product of the
    /// transposes in the other order. That was measured on eight products such as [64, 256] x [256, 10] and
    /// [64, 576] x [576, 1] with 2 threads. So a narrow result is computed that way and returned as a transposed view.
    /// With 16 or more columns the plain product was as fast or faster.
    /// </summary>
    internal static Tensor Product(Tensor left, Tensor right) =>
        right.shape[2] < NarrowProductColumns
            ? right.transpose(1, 2).bmm(left.transpose(1, 2)).transpose(1, 2)
            : left.bmm(right);

    // Runs dense layers first to end - 1 (all by default) on the input of the first and returns the last one's output.
    // A ReLU follows each layer but the network's last. Each layer's input goes into layerInputs when it is given.
    private Tensor DenseLayers(Tensor hidden, bool kernelsAllowed, Tensor[]? layerInputs = null, int? end = null, int first = 0)
    {
        for (var i = first; i < (end ?? _dense.Count); i++)
        {
            if (layerInputs is not null)
            {
                layerInputs[i] = hidden;
            }

            var (weight, bias) = _dense[i];
            var relu = i < _dense.Count - 1;
            if (kernelsAllowed && DenseKernels.Applies(hidden, weight))
            {
                hidden = DenseKernels.Affine(hidden, weight, bias, relu);
                continue;
            }

            hidden = Affine(hidden, weight, bias);
            if (relu)
            {
                hidden = hidden.relu_();
            }
        }

        return hidden;
    }

    // left x weight + bias, for left [K, B, in], weight [K, in, out] and bias [K, 1, out]. Where the plain product
    // applies, the bias is copied into the result before the product adds to it, which saves the pass that zeroes the
    // result and the pass that adds the bias. TorchSharp 0.107's Tensor.baddbmm(x, y) computes y + this x x.
    private static Tensor Affine(Tensor left, Tensor weight, Tensor bias) =>
        weight.shape[2] < NarrowProductColumns
            ? Product(left, weight).add_(bias, HeldScalars.One)
            : left.baddbmm(weight, bias.expand(left.shape[0], left.shape[1], weight.shape[2]));

    private static List<(Tensor Weight, Tensor Bias)> LayerWeights(nn.Module single)
    {
        var layers = new List<(Tensor, Tensor)>();
        foreach (var module in single.modules())
        {
            var pair = module switch
            {
                Conv2d conv => (conv.weight!, conv.bias!),
                Linear linear => (linear.weight!, linear.bias!),
                _ => ((Tensor?)null, (Tensor?)null),
            };
            if (pair.Item1 is not null && pair.Item2 is not null)
            {
                layers.Add((pair.Item1.detach().clone(), pair.Item2.detach().clone()));
            }
        }

        return layers;
    }

    private static Func<Tensor, Tensor> ConvBlock(ConvSpec conv, Tensor weight, Tensor bias, int groups)
    {
        var kernel = conv.Kernel!.Value;
        var poolSize = (long)conv.PoolSize;

        // PyTorch's "same" puts the odd pixel of an even kernel's padding after the image, as this does.
        var before = conv.Padding == Padding.Same ? (kernel - 1) / 2 : 0;
        var after = conv.Padding == Padding.Same ? kernel - 1 - before : 0;
        return input =>
        {
            var padded = before == after ? input : pad(input, [before, after, before, after]);
            long[] padding = before == after ? [before, before] : [0, 0];
            var mapped = conv2d(padded, weight, bias, padding: padding, groups: groups);

            // Max pooling before ReLU, as a separate model's conv block does.
            return conv.Pool switch
            {
                PoolKind.Max => max_pool2d(mapped, [poolSize, poolSize]).relu_(),
                PoolKind.Avg => avg_pool2d(mapped.relu_(), [poolSize, poolSize]),
                _ => mapped.relu_(),
            };
        };
    }

    private Parameter Add(Tensor value, Device device)
    {
        using (value)
        using (var moved = value.to(device))
        {
            var parameter = new Parameter(moved.contiguous(), requires_grad: true);
            _parameters.Add(parameter);
            return parameter;
        }
    }
}
