using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>The gradients <see cref="NarrowHead.Gradients"/> returns; the last two are null when no ReLU comes before.</summary>
internal sealed record HeadGradients(Tensor Weight, Tensor Bias, Tensor? Input, Tensor? InputBias);

/// <summary>
/// The training step of a stacked network's output layer of 2 to 16 classes on one CPU thread, in loops of our own with
/// 512-bit vectors. It computes the logits and the loss gradient (softmax minus the one-hot label, over the batch). From
/// those it computes the layer's weight and bias gradients, and the gradient through the ReLU before the layer with that
/// layer's bias gradient. One vector contains a row's logits, so a row takes one fused multiply-add per input unit. With
/// libtorch these were three narrow batched products and five other calls, about 110 us a batch for four memorization
/// MLPs.
/// </summary>
internal static unsafe class NarrowHead
{
    // Lanes of a vector, which is also the most classes.
    private const int Width = 16;

    // Input units per block of the input gradient: four vectors, summed over the classes together.
    private const int Block = 4 * Width;

    // Each lane's index, 0 to 15.
    private static readonly Vector512<float> LaneIndex = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>
    /// Reports whether the loops apply to a layer's <paramref name="input"/> [K, B, in], <paramref name="weight"/>
    /// [K, in, classes] and <paramref name="labels"/> [K, B]: what <see cref="Fits"/> checks, 512-bit vectors in hardware
    /// and one libtorch thread on the calling thread, as in a lane.
    /// </summary>
    public static bool Applies(Tensor input, Tensor weight, Tensor labels) =>
        Vector512.IsHardwareAccelerated && get_num_threads() == 1 && Fits(input, weight, labels);

    /// <summary>
    /// Reports whether the shapes and layouts suit the loops. They need CPU float32 input with rows of stride 1 and a
    /// multiple of 64 units, a contiguous float32 weight of 2 to 16 classes, and CPU int64 labels of stride 1 along B.
    /// </summary>
    internal static bool Fits(Tensor input, Tensor weight, Tensor labels)
    {
        if (input.dim() != 3 || weight.dim() != 3 || labels.dim() != 2)
        {
            return false;
        }

        // Each read of a shape allocates an array, so each is read once: this runs every batch.
        var inputShape = input.shape;
        var weightShape = weight.shape;
        var labelShape = labels.shape;
        return weightShape[0] == inputShape[0] && weightShape[1] == inputShape[2]
            && weightShape[2] >= 2 && weightShape[2] <= Width && inputShape[2] % Block == 0
            && labelShape[0] == inputShape[0] && labelShape[1] == inputShape[1]
            && input.stride(2) == 1 && CpuFloats.IsPlain(weight) && labels.stride(1) == 1
            && input.device_type == TorchSharp.DeviceType.CPU && labels.device_type == TorchSharp.DeviceType.CPU
            && input.dtype == ScalarType.Float32 && labels.dtype == ScalarType.Int64;
    }

    /// <summary>
    /// Returns the gradients of the sum over seeds of each seed's mean loss for the layer's <paramref name="input"/>,
    /// <paramref name="weight"/>, contiguous <paramref name="bias"/> [K, 1, classes] and <paramref name="labels"/>. When
    /// <paramref name="throughRelu"/> is set, the input is a ReLU's output, and the input gradient is 0 where that output
    /// is at most 0. A NaN output passes the gradient, as autograd's ReLU does. The caller checks <see cref="Fits"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HeadGradients Gradients(Tensor input, Tensor weight, Tensor bias, Tensor labels, bool throughRelu)
    {
        var inputShape = input.shape;
        var shape = new Shape((int)inputShape[1], (int)inputShape[2], (int)weight.shape[2]);
        var seeds = inputShape[0];
        var weightGradient = empty([seeds, shape.Units, shape.Classes], ScalarType.Float32, input.device);
        var biasGradient = empty([seeds, 1, shape.Classes], ScalarType.Float32, input.device);
        var inputGradient = throughRelu ? empty([seeds, shape.Rows, shape.Units], ScalarType.Float32, input.device) : null;
        var inputBiasGradient = throughRelu ? zeros([seeds, 1, shape.Units], ScalarType.Float32, input.device) : null;

        var x = (float*)CpuFloats.DataOf(input);
        var w = (float*)CpuFloats.DataOf(weight);
        var b = (float*)CpuFloats.DataOf(bias);
        var y = (long*)CpuFloats.DataOf(labels);
        var dw = (float*)CpuFloats.DataOf(weightGradient);
        var db = (float*)CpuFloats.DataOf(biasGradient);
        var dx = inputGradient is null ? null : (float*)CpuFloats.DataOf(inputGradient);
        var dxb = inputBiasGradient is null ? null : (float*)CpuFloats.DataOf(inputBiasGradient);
        var seedStride = input.stride(0);
        var rowStride = input.stride(1);
        var labelStride = labels.stride(0);
        var scratch = ArrayPool<float>.Shared.Rent(shape.ScratchLength);
        try
        {
            fixed (float* buffer = scratch)
            {
                for (long k = 0; k < seeds; k++)
                {
                    var unitsByClasses = k * shape.Units * shape.Classes;
                    var seed = new SeedPointers(
                        x + (k * seedStride),
                        rowStride,
                        w + unitsByClasses,
                        b + (k * shape.Classes),
                        y + (k * labelStride),
                        dw + unitsByClasses,
                        db + (k * shape.Classes),
                        dx is null ? null : dx + (k * shape.Rows * shape.Units),
                        dxb is null ? null : dxb + (k * shape.Units));
                    Seed(seed, shape, buffer);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }

        return new HeadGradients(weightGradient, biasGradient, inputGradient, inputBiasGradient);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Seed(SeedPointers seed, Shape shape, float* scratch)
    {
        // The weight with each unit's classes padded to a vector, the weight transposed, and the rows' loss gradients.
        var padded = scratch;
        var transposed = padded + (shape.Units * Width);
        var gradients = transposed + (shape.Classes * shape.Units);
        Arrange(seed.Weight, shape, padded, transposed);
        Logits(seed, shape, padded, gradients);
        WeightGradient(seed, shape, gradients);
        if (seed.InputGradient is not null)
        {
            InputGradient(seed, shape, transposed, gradients);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Arrange(float* weight, Shape shape, float* padded, float* transposed)
    {
        Pad(weight, shape, padded);
        for (var c = 0; c < shape.Classes; c++)
        {
            var column = weight + c;
            var row = transposed + (c * shape.Units);
            for (var unit = 0; unit < shape.Units; unit++)
            {
                row[unit] = column[unit * shape.Classes];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pad(float* weight, Shape shape, float* padded)
    {
        // A unit's classes are the first lanes of a vector loaded at its row. Loading 16 floats there reads past the
        // weight's end at the last units (the last 7 of them for 2 classes), which are copied lane by lane instead.
        var classLanes = Vector512.LessThan(LaneIndex, Vector512.Create((float)shape.Classes));
        var length = shape.Units * shape.Classes;
        var unit = 0;
        for (; (unit * shape.Classes) + Width <= length; unit++)
        {
            Vector512.ConditionalSelect(classLanes, Vector512.Load(weight + (unit * shape.Classes)), Vector512<float>.Zero)
                .Store(padded + (unit * Width));
        }

        for (; unit < shape.Units; unit++)
        {
            for (var c = 0; c < Width; c++)
            {
                padded[(unit * Width) + c] = c < shape.Classes ? weight[(unit * shape.Classes) + c] : 0f;
            }
        }
    }

    // Writes each row's loss gradient, a vector of classes padded with zeros, to gradients [rows, 16].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Logits(SeedPointers seed, Shape shape, float* padded, float* gradients)
    {
        Products(seed, shape, padded, gradients);
        var bias = stackalloc float[Width];
        for (var c = 0; c < Width; c++)
        {
            bias[c] = c < shape.Classes ? seed.Bias[c] : 0f;
        }

        var context = new RowContext(Vector512.Load(bias), shape.Classes, shape.Rows);
        for (var row = 0; row < shape.Rows; row++)
        {
            var target = gradients + (row * Width);
            RowGradient(Vector512.Load(target), seed.Labels[row], context, target);
        }
    }

    // Writes each row's input times the padded weight, without the bias, to products [rows, 16], eight rows at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Products(SeedPointers seed, Shape shape, float* padded, float* products)
    {
        var stride = seed.RowStride;
        var row = 0;
        for (; row + 8 <= shape.Rows; row += 8)
        {
            var x0 = seed.Input + (row * stride);
            var x1 = x0 + stride;
            var x2 = x1 + stride;
            var x3 = x2 + stride;
            var x4 = x3 + stride;
            var x5 = x4 + stride;
            var x6 = x5 + stride;
            var x7 = x6 + stride;
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            var s4 = Vector512<float>.Zero;
            var s5 = Vector512<float>.Zero;
            var s6 = Vector512<float>.Zero;
            var s7 = Vector512<float>.Zero;
            for (var unit = 0; unit < shape.Units; unit++)
            {
                var weights = Vector512.Load(padded + (unit * Width));
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(x0[unit]), weights, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Create(x1[unit]), weights, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Create(x2[unit]), weights, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Create(x3[unit]), weights, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.Create(x4[unit]), weights, s4);
                s5 = Vector512.FusedMultiplyAdd(Vector512.Create(x5[unit]), weights, s5);
                s6 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[unit]), weights, s6);
                s7 = Vector512.FusedMultiplyAdd(Vector512.Create(x7[unit]), weights, s7);
            }

            var target = products + (row * Width);
            s0.Store(target);
            s1.Store(target + Width);
            s2.Store(target + (2 * Width));
            s3.Store(target + (3 * Width));
            s4.Store(target + (4 * Width));
            s5.Store(target + (5 * Width));
            s6.Store(target + (6 * Width));
            s7.Store(target + (7 * Width));
        }

        for (; row < shape.Rows; row++)
        {
            var input = seed.Input + (row * stride);
            var sum = Vector512<float>.Zero;
            for (var unit = 0; unit < shape.Units; unit++)
            {
                sum = Vector512.FusedMultiplyAdd(Vector512.Create(input[unit]), Vector512.Load(padded + (unit * Width)), sum);
            }

            sum.Store(products + (row * Width));
        }
    }

    // Softmax minus the one-hot label, over the batch, as Objective.StackedLossGradient computes it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowGradient(Vector512<float> products, long label, RowContext context, float* target)
    {
        var logits = products + context.Bias;
        logits.Store(target);

        // A NaN logit makes the largest NaN, and so every class's gradient, as in libtorch.
        var max = target[0];
        for (var c = 1; c < context.Classes; c++)
        {
            max = MathF.Max(max, target[c]);
        }

        // Padding lanes become -inf, so their exp is 0 and they add nothing to the sum.
        var shifted = Vector512.ConditionalSelect(context.ClassLanes, logits - Vector512.Create(max), Vector512.Create(float.NegativeInfinity));
        var exponential = Vector512.Create(NarrowLogits.Exp(shifted.GetLower()), NarrowLogits.Exp(shifted.GetUpper()));
        var softmax = exponential / Vector512.Create(Vector512.Sum(exponential));
        softmax -= Vector512.Equals(LaneIndex, Vector512.Create((float)label)) & Vector512<float>.One;
        (softmax / context.Batch).Store(target);
    }

    // Sums each unit's input times the rows' gradients over the batch, eight units at a time, and the bias gradient.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradient(SeedPointers seed, Shape shape, float* gradients)
    {
        var sums = stackalloc float[8 * Width];
        for (var unit = 0; unit < shape.Units; unit += 8)
        {
            var t0 = Vector512<float>.Zero;
            var t1 = Vector512<float>.Zero;
            var t2 = Vector512<float>.Zero;
            var t3 = Vector512<float>.Zero;
            var t4 = Vector512<float>.Zero;
            var t5 = Vector512<float>.Zero;
            var t6 = Vector512<float>.Zero;
            var t7 = Vector512<float>.Zero;
            var input = seed.Input + unit;
            for (var row = 0; row < shape.Rows; row++)
            {
                var gradient = Vector512.Load(gradients + (row * Width));
                t0 = Vector512.FusedMultiplyAdd(Vector512.Create(input[0]), gradient, t0);
                t1 = Vector512.FusedMultiplyAdd(Vector512.Create(input[1]), gradient, t1);
                t2 = Vector512.FusedMultiplyAdd(Vector512.Create(input[2]), gradient, t2);
                t3 = Vector512.FusedMultiplyAdd(Vector512.Create(input[3]), gradient, t3);
                t4 = Vector512.FusedMultiplyAdd(Vector512.Create(input[4]), gradient, t4);
                t5 = Vector512.FusedMultiplyAdd(Vector512.Create(input[5]), gradient, t5);
                t6 = Vector512.FusedMultiplyAdd(Vector512.Create(input[6]), gradient, t6);
                t7 = Vector512.FusedMultiplyAdd(Vector512.Create(input[7]), gradient, t7);
                input += seed.RowStride;
            }

            t0.Store(sums);
            t1.Store(sums + Width);
            t2.Store(sums + (2 * Width));
            t3.Store(sums + (3 * Width));
            t4.Store(sums + (4 * Width));
            t5.Store(sums + (5 * Width));
            t6.Store(sums + (6 * Width));
            t7.Store(sums + (7 * Width));
            for (var j = 0; j < 8; j++)
            {
                new Span<float>(sums + (j * Width), shape.Classes)
                    .CopyTo(new Span<float>(seed.WeightGradient + ((unit + j) * shape.Classes), shape.Classes));
            }
        }

        var biasSum = Vector512<float>.Zero;
        for (var row = 0; row < shape.Rows; row++)
        {
            biasSum += Vector512.Load(gradients + (row * Width));
        }

        biasSum.Store(sums);
        new Span<float>(sums, shape.Classes).CopyTo(new Span<float>(seed.BiasGradient, shape.Classes));
    }

    // Sums the classes' gradients times their weights for each row and keeps them unless the ReLU's output is at most 0.
    // Their sum over the batch, the gradient of the bias before the ReLU, goes into InputBiasGradient, which starts at 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(SeedPointers seed, Shape shape, float* transposed, float* gradients)
    {
        for (var row = 0; row < shape.Rows; row++)
        {
            var gradient = gradients + (row * Width);
            var input = seed.Input + (row * seed.RowStride);
            var target = seed.InputGradient + ((long)row * shape.Units);
            for (var unit = 0; unit < shape.Units; unit += Block)
            {
                var u0 = Vector512<float>.Zero;
                var u1 = Vector512<float>.Zero;
                var u2 = Vector512<float>.Zero;
                var u3 = Vector512<float>.Zero;
                for (var c = 0; c < shape.Classes; c++)
                {
                    var g = Vector512.Create(gradient[c]);
                    var weights = transposed + (c * shape.Units) + unit;
                    u0 = Vector512.FusedMultiplyAdd(g, Vector512.Load(weights), u0);
                    u1 = Vector512.FusedMultiplyAdd(g, Vector512.Load(weights + Width), u1);
                    u2 = Vector512.FusedMultiplyAdd(g, Vector512.Load(weights + (2 * Width)), u2);
                    u3 = Vector512.FusedMultiplyAdd(g, Vector512.Load(weights + (3 * Width)), u3);
                }

                MaskAndAdd(u0, input + unit, target + unit, seed.InputBiasGradient + unit);
                MaskAndAdd(u1, input + unit + Width, target + unit + Width, seed.InputBiasGradient + unit + Width);
                MaskAndAdd(u2, input + unit + (2 * Width), target + unit + (2 * Width), seed.InputBiasGradient + unit + (2 * Width));
                MaskAndAdd(u3, input + unit + (3 * Width), target + unit + (3 * Width), seed.InputBiasGradient + unit + (3 * Width));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaskAndAdd(Vector512<float> gradient, float* output, float* target, float* biasSum)
    {
        // autograd's ReLU zeroes the gradient where output <= 0, which is false for a NaN output, so NaN passes.
        var stopped = Vector512.LessThanOrEqual(Vector512.Load(output), Vector512<float>.Zero);
        var masked = Vector512.ConditionalSelect(stopped, Vector512<float>.Zero, gradient);
        masked.Store(target);
        (Vector512.Load(biasSum) + masked).Store(biasSum);
    }

    /// <summary>Rows, input units and classes of one seed, and the scratch floats a seed needs.</summary>
    private readonly struct Shape(int rows, int units, int classes)
    {
        public int Rows { get; } = rows;

        public int Units { get; } = units;

        public int Classes { get; } = classes;

        public int ScratchLength => (Units * Width) + (Classes * Units) + (Rows * Width);
    }

    /// <summary>Where one seed's operands and gradients lie.</summary>
    private readonly struct SeedPointers(
        float* input,
        long rowStride,
        float* weight,
        float* bias,
        long* labels,
        float* weightGradient,
        float* biasGradient,
        float* inputGradient,
        float* inputBiasGradient)
    {
        public float* Input { get; } = input;

        public long RowStride { get; } = rowStride;

        public float* Weight { get; } = weight;

        public float* Bias { get; } = bias;

        public long* Labels { get; } = labels;

        public float* WeightGradient { get; } = weightGradient;

        public float* BiasGradient { get; } = biasGradient;

        public float* InputGradient { get; } = inputGradient;

        public float* InputBiasGradient { get; } = inputBiasGradient;
    }

    /// <summary>What every row's loss gradient uses: the padded bias, the class lanes and the batch size.</summary>
    private readonly struct RowContext(Vector512<float> bias, int classes, int rows)
    {
        public Vector512<float> Bias { get; } = bias;

        public int Classes { get; } = classes;

        public Vector512<float> Batch { get; } = Vector512.Create((float)rows);

        public Vector512<float> ClassLanes { get; } = Vector512.LessThan(LaneIndex, Vector512.Create((float)classes));
    }
}
