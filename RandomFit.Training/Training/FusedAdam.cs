using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// Adam that updates each CPU float32 parameter in one pass over its memory. TorchSharp's Adam runs eight tensor
/// operations per parameter, each a full pass, and on the memorization MLP they took a quarter to a half of a batch.
/// The arithmetic follows those operations in order in single precision. The one exception is the square root of the
/// second bias correction: the update multiplies by its inverse instead of dividing, which took a sixth off the step.
/// The state stays in <see cref="Adam.State"/>, so checkpoints keep their format. Other devices and types use TorchSharp's step.
/// </summary>
internal sealed class FusedAdam(IEnumerable<Parameter> parameters, double learningRate, double epsilon, double weightDecay)
    : Adam(parameters, learningRate, eps: epsilon, weight_decay: weightDecay)
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
            var options = (Options)group.Options;
            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null)
                {
                    continue;
                }

                var state = (State)_state[parameter.Handle];
                state.step += 1;
                var coefficients = new Coefficients(options, state.step);
                Update(parameter, gradient, state.exp_avg, state.exp_avg_sq, coefficients);
            }
        }

        return null!;
    }

    /// <summary>Reports whether every parameter, gradient and state tensor is a contiguous CPU float32 tensor.</summary>
    private bool CanFuse()
    {
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            if (options.amsgrad == true || options.maximize == true)
            {
                return false;
            }

            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                var state = (State)_state[parameter.Handle];
                if (!CpuFloats.IsPlain(parameter) || (gradient is not null && !CpuFloats.IsPlain(gradient))
                    || !CpuFloats.IsPlain(state.exp_avg) || !CpuFloats.IsPlain(state.exp_avg_sq))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Update(Tensor parameter, Tensor gradient, Tensor average, Tensor squareAverage, Coefficients coefficients)
    {
        // One thread does the update. With chunks on .NET pool threads the next batch's libtorch kernels ran slower
        // on 2 cores, probably because both thread pools spin while waiting for work.
        var length = checked((int)parameter.numel());
        var pointers = new Pointers(
            CpuFloats.DataOf(parameter), CpuFloats.DataOf(gradient), CpuFloats.DataOf(average), CpuFloats.DataOf(squareAverage));
        UpdateRange(pointers, length, coefficients);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void UpdateRange(Pointers pointers, int length, Coefficients c)
    {
        var parameter = new Span<float>((float*)pointers.Parameter, length);
        var gradient = new ReadOnlySpan<float>((float*)pointers.Gradient, length);
        var average = new Span<float>((float*)pointers.Average, length);
        var squareAverage = new Span<float>((float*)pointers.SquareAverage, length);

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var decay = new Vector<float>(c.WeightDecay);
            var beta1 = new Vector<float>(c.Beta1);
            var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
            var beta2 = new Vector<float>(c.Beta2);
            var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
            var inverseCorrection2 = new Vector<float>(c.InverseSquareRootCorrection2);
            var epsilon = new Vector<float>(c.Epsilon);
            var stepSize = new Vector<float>(c.NegativeStepSize);
            var parameterVectors = MemoryMarshal.Cast<float, Vector<float>>(parameter);
            var gradientVectors = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var averageVectors = MemoryMarshal.Cast<float, Vector<float>>(average);
            var squareVectors = MemoryMarshal.Cast<float, Vector<float>>(squareAverage);
            for (var v = 0; v < parameterVectors.Length; v++)
            {
                var p = parameterVectors[v];
                var g = c.HasWeightDecay ? Vector.FusedMultiplyAdd(p, decay, gradientVectors[v]) : gradientVectors[v];
                var m = Vector.FusedMultiplyAdd(g, oneMinusBeta1, averageVectors[v] * beta1);
                var s = (squareVectors[v] * beta2) + (oneMinusBeta2 * g * g);
                var denominator = Vector.FusedMultiplyAdd(Vector.SquareRoot(s), inverseCorrection2, epsilon);
                averageVectors[v] = m;
                squareVectors[v] = s;
                parameterVectors[v] = p + (stepSize * m / denominator);
            }

            i = parameterVectors.Length * Vector<float>.Count;
        }

        for (; i < length; i++)
        {
            var p = parameter[i];
            var g = c.HasWeightDecay ? MathF.FusedMultiplyAdd(p, c.WeightDecay, gradient[i]) : gradient[i];
            var m = MathF.FusedMultiplyAdd(g, c.OneMinusBeta1, average[i] * c.Beta1);
            var s = (squareAverage[i] * c.Beta2) + (c.OneMinusBeta2 * g * g);
            var denominator = MathF.FusedMultiplyAdd(MathF.Sqrt(s), c.InverseSquareRootCorrection2, c.Epsilon);
            average[i] = m;
            squareAverage[i] = s;
            parameter[i] = p + (c.NegativeStepSize * m / denominator);
        }
    }

    private readonly record struct Pointers(IntPtr Parameter, IntPtr Gradient, IntPtr Average, IntPtr SquareAverage);

    /// <summary>The scalars of one step, rounded to single precision as libtorch rounds them for float32 tensors.</summary>
    private readonly struct Coefficients
    {
        public Coefficients(Options options, long step)
        {
            var beta1 = options.beta1!.Value;
            var beta2 = options.beta2!.Value;
            var weightDecay = options.weight_decay!.Value;
            var correction1 = 1 - Math.Pow(beta1, step);
            var correction2 = 1 - Math.Pow(beta2, step);
            HasWeightDecay = weightDecay != 0;
            WeightDecay = (float)weightDecay;
            Beta1 = (float)beta1;
            OneMinusBeta1 = (float)(1 - beta1);
            Beta2 = (float)beta2;
            OneMinusBeta2 = (float)(1 - beta2);
            InverseSquareRootCorrection2 = (float)(1 / Math.Sqrt(correction2));
            Epsilon = (float)options.eps!.Value;
            NegativeStepSize = (float)(-options.LearningRate!.Value / correction1);
        }

        public bool HasWeightDecay { get; }

        public float WeightDecay { get; }

        public float Beta1 { get; }

        public float OneMinusBeta1 { get; }

        public float Beta2 { get; }

        public float OneMinusBeta2 { get; }

        public float InverseSquareRootCorrection2 { get; }

        public float Epsilon { get; }

        public float NegativeStepSize { get; }
    }
}
