using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// SGD that updates each CPU float32 parameter in one pass over its memory. TorchSharp's SGD runs up to four tensor
/// operations per parameter (weight decay, momentum, Nesterov's look-ahead, the update), and the look-ahead allocates
/// a tensor the size of the parameter every step. Each of those calls also passes TorchSharp a temporary Scalar that a
/// garbage collection during the native call can finalize (<see cref="HeldScalars"/>); this path passes none.
/// The arithmetic follows those operations in order in single precision. The momentum buffer stays in
/// <see cref="SGD.State"/>, so checkpoints keep their format. Other devices and types use TorchSharp's step.
/// </summary>
internal sealed class FusedSgd(
    IEnumerable<Parameter> parameters,
    double learningRate,
    double momentum,
    double weightDecay,
    bool nesterov)
    : SGD(parameters, learningRate, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov)
{
    // Compiled optimized on first use, so the runtime does not recompile it during training.
    // That recompilation added about 3% to the resident set over 1,000 epochs (docs/benchmarks.md, Memory).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null || !CanFuse())
        {
            return base.step(closure);
        }

        foreach (var group in _parameter_groups)
        {
            var coefficients = new Coefficients((Options)group.Options);
            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null)
                {
                    continue;
                }

                var state = (State)_state[parameter.Handle];
                var first = false;
                if (coefficients.HasMomentum && state.momentum_buffer is null)
                {
                    // Allocated once, outside any dispose scope the caller has open, and kept in the state like
                    // TorchSharp's buffer. The first step writes the gradient into it.
                    state.momentum_buffer = empty_like(parameter).DetachFromDisposeScope();
                    first = true;
                }

                var buffer = coefficients.HasMomentum ? CpuFloats.DataOf(state.momentum_buffer!) : IntPtr.Zero;
                var length = checked((int)parameter.numel());
                UpdateRange(CpuFloats.DataOf(parameter), CpuFloats.DataOf(gradient), buffer, length, coefficients, first);
            }
        }

        return null!;
    }

    /// <summary>Reports whether every parameter, gradient and momentum buffer is a contiguous CPU float32 tensor.</summary>
    private bool CanFuse()
    {
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            if (options.maximize == true || options.dampening != 0)
            {
                return false;
            }

            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                var buffer = ((State)_state[parameter.Handle]).momentum_buffer;
                if (!CpuFloats.IsPlain(parameter) || (gradient is not null && !CpuFloats.IsPlain(gradient))
                    || (buffer is not null && !CpuFloats.IsPlain(buffer)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void UpdateRange(
        IntPtr parameterData,
        IntPtr gradientData,
        IntPtr bufferData,
        int length,
        Coefficients c,
        bool first)
    {
        var parameter = new Span<float>((float*)parameterData, length);
        var gradient = new ReadOnlySpan<float>((float*)gradientData, length);
        var buffer = c.HasMomentum ? new Span<float>((float*)bufferData, length) : [];

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var decay = new Vector<float>(c.WeightDecay);
            var momentum = new Vector<float>(c.Momentum);
            var stepSize = new Vector<float>(c.NegativeLearningRate);
            var parameterVectors = MemoryMarshal.Cast<float, Vector<float>>(parameter);
            var gradientVectors = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var bufferVectors = MemoryMarshal.Cast<float, Vector<float>>(buffer);
            for (var v = 0; v < parameterVectors.Length; v++)
            {
                var p = parameterVectors[v];
                var g = c.HasWeightDecay ? Vector.FusedMultiplyAdd(p, decay, gradientVectors[v]) : gradientVectors[v];
                if (c.HasMomentum)
                {
                    var b = first ? g : (bufferVectors[v] * momentum) + g;
                    bufferVectors[v] = b;
                    g = c.Nesterov ? Vector.FusedMultiplyAdd(b, momentum, g) : b;
                }

                parameterVectors[v] = Vector.FusedMultiplyAdd(g, stepSize, p);
            }

            i = parameterVectors.Length * Vector<float>.Count;
        }

        for (; i < length; i++)
        {
            var p = parameter[i];
            var g = c.HasWeightDecay ? MathF.FusedMultiplyAdd(p, c.WeightDecay, gradient[i]) : gradient[i];
            if (c.HasMomentum)
            {
                var b = first ? g : (buffer[i] * c.Momentum) + g;
                buffer[i] = b;
                g = c.Nesterov ? MathF.FusedMultiplyAdd(b, c.Momentum, g) : b;
            }

            parameter[i] = MathF.FusedMultiplyAdd(g, c.NegativeLearningRate, p);
        }
    }

    /// <summary>The scalars of a step, rounded to single precision as libtorch rounds them for float32 tensors.</summary>
    private readonly struct Coefficients(Options options)
    {
        public bool HasWeightDecay { get; } = options.weight_decay!.Value != 0;

        public float WeightDecay { get; } = (float)options.weight_decay!.Value;

        public bool HasMomentum { get; } = options.momentum!.Value != 0;

        public float Momentum { get; } = (float)options.momentum!.Value;

        public bool Nesterov { get; } = options.nesterov == true;

        public float NegativeLearningRate { get; } = (float)-options.LearningRate!.Value;
    }
}
