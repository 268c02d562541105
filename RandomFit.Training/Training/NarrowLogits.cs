using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// The stacked loss, correct counts and loss gradient of CPU float32 logits whose rows lie next to each other for each
/// class, in one pass over their memory. A stacked network's last layer of fewer than 16 outputs returns its logits
/// [K, B, C] as a view of memory laid out [K, C, B] (<c>StackedNetwork.Product</c>), so one 256-bit vector contains one
/// class's logits of eight rows. For evaluation's [8, 256, 10] logits, libtorch's elementwise loss and its argmax took
/// about 340 us and these loops 36-58 us. For a training batch's [8, 64, 10], the loss gradient took 25-50 us and
/// 9-10 us. The loss is log-sum-exp minus the label's logit, as <see cref="Objective.StackedLoss"/> computes it, with
/// exp computed here (see <see cref="Exp"/>). Rows past the last whole vector are copied into a padded one, so every
/// row takes the same arithmetic.
/// </summary>
internal static unsafe class NarrowLogits
{
    private const int Lanes = 8;

    // Bounds the padded blocks on the stack. Narrow layers have fewer than 16 classes, so this leaves room.
    private const int MaxClasses = 256;

    // exp is evaluated on [Lowest, Highest]: 2^-126 and 2^127 are the exponent range of a normal float.
    private const float Lowest = -87.33654f;
    private const float Highest = 88f;
    private const float Log2E = 1.44269504f;

    // ln 2 in two parts: the first has few enough bits that n times it is exact for |n| <= 128.
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary>
    /// Reports whether the one-pass loops apply. They need CPU float32 logits [K, B, C] of 2 to 256 classes whose
    /// rows lie next to each other (stride 1 along B), and CPU int64 labels [K, B] with stride 1 along B.
    /// </summary>
    public static bool Applies(Tensor logits, Tensor labels) =>
        Vector256.IsHardwareAccelerated
        && logits.dim() == 3 && logits.shape[2] >= 2 && logits.shape[2] <= MaxClasses && logits.stride(1) == 1
        && logits.device_type == TorchSharp.DeviceType.CPU && logits.dtype == ScalarType.Float32
        && labels.dim() == 2 && labels.shape[0] == logits.shape[0] && labels.shape[1] == logits.shape[1]
        && labels.stride(1) == 1 && labels.device_type == TorchSharp.DeviceType.CPU && labels.dtype == ScalarType.Int64;

    /// <summary>
    /// Adds each seed's loss sum and correct count over rows <paramref name="start"/> to
    /// <paramref name="start"/> + <paramref name="count"/> - 1 to <paramref name="lossSums"/> and
    /// <paramref name="hits"/>. A NaN or +inf logit, or -inf at the label, makes the seed's loss NaN or +inf, as it
    /// makes libtorch's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddLossAndHits(Tensor logits, Tensor labels, long start, long count, double[] lossSums, long[] hits)
    {
        var layout = new Layout(logits, labels);
        var rowLosses = stackalloc float[Lanes];
        var padded = stackalloc float[layout.Classes * Lanes];
        for (var k = 0; k < layout.Seeds; k++)
        {
            double loss = 0;
            long correct = 0;
            for (var row = start; row < start + count; row += Lanes)
            {
                var rows = (int)Math.Min(Lanes, start + count - row);
                var block = layout.Block(k, row, rows, padded, out var classStride);
                var labelVector = layout.LabelVector(k, row, rows);
                correct += LossAndHits(block, classStride, layout.Classes, labelVector, rowLosses);
                for (var lane = 0; lane < rows; lane++)
                {
                    loss += rowLosses[lane];
                }
            }

            lossSums[k] += loss;
            hits[k] += correct;
        }
    }

    /// <summary>
    /// Returns the gradient of the sum over seeds of each seed's mean loss, softmax minus the one-hot label over B,
    /// as a view [K, B, C] of new contiguous memory [K, C, B].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor LossGradient(Tensor logits, Tensor labels)
    {
        var layout = new Layout(logits, labels);
        var batch = logits.shape[1];
        var result = empty([layout.Seeds, layout.Classes, batch], ScalarType.Float32, logits.device);
        var output = (float*)CpuFloats.DataOf(result);
        var padded = stackalloc float[layout.Classes * Lanes];
        var paddedOutput = stackalloc float[layout.Classes * Lanes];
        var batchSize = Vector256.Create((float)batch);
        for (var k = 0; k < layout.Seeds; k++)
        {
            var seedOutput = output + (k * layout.Classes * batch);
            for (long row = 0; row < batch; row += Lanes)
            {
                var rows = (int)Math.Min(Lanes, batch - row);
                var block = layout.Block(k, row, rows, padded, out var classStride);
                var labelVector = layout.LabelVector(k, row, rows);
                var target = rows == Lanes ? seedOutput + row : paddedOutput;
                var targetStride = rows == Lanes ? batch : Lanes;
                Gradient(block, classStride, layout.Classes, labelVector, batchSize, target, targetStride);
                if (rows < Lanes)
                {
                    for (var c = 0; c < layout.Classes; c++)
                    {
                        new Span<float>(paddedOutput + (c * Lanes), rows).CopyTo(new Span<float>(seedOutput + (c * batch) + row, rows));
                    }
                }
            }
        }

        return result.transpose(1, 2);
    }

    /// <summary>
    /// Returns exp of each lane within two units in the last place. x = n ln 2 + r with n a whole number and
    /// |r| &lt;= ln 2 / 2, so exp(x) = 2^n exp(r), and exp(r) is its Taylor polynomial of degree 7, whose error there
    /// is under 6e-9 of the value. Lanes below <see cref="Lowest"/> give 0, within 2^-126 of their exp, and NaN gives NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x)
    {
        // Comparisons are false for NaN, so a NaN lane passes both clamps and the last mask unchanged.
        var clamped = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256.Create(Lowest), x);
        clamped = Vector256.ConditionalSelect(Vector256.GreaterThan(clamped, Vector256.Create(Highest)), Vector256.Create(Highest), clamped);
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);

        var p = Vector256.Create(1f / 5040);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);

        // 2^n is built from its exponent bits, since n is within [-126, 127] after the clamps.
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return Vector256.AndNot(p * scale, Vector256.LessThan(x, Vector256.Create(Lowest)));
    }

    // Writes each lane's loss to rowLosses and returns how many lanes' largest logit is at their label.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long LossAndHits(float* logits, long classStride, int classes, Vector256<float> labels, float* rowLosses)
    {
        // The first largest logit is the prediction, as libtorch's argmax picks it.
        var max = Vector256.Load(logits);
        var predicted = Vector256<float>.Zero;
        for (var c = 1; c < classes; c++)
        {
            var value = Vector256.Load(logits + (c * classStride));
            var greater = Vector256.GreaterThan(value, max);
            max = Vector256.ConditionalSelect(greater, value, max);
            predicted = Vector256.ConditionalSelect(greater, Vector256.Create((float)c), predicted);
        }

        // A NaN logit, or +inf minus the largest logit +inf, makes the sum NaN. A label logit of -inf makes the loss +inf.
        var sum = Vector256<float>.Zero;
        var labelLogit = Vector256<float>.Zero;
        for (var c = 0; c < classes; c++)
        {
            var shifted = Vector256.Load(logits + (c * classStride)) - max;
            sum += Exp(shifted);
            labelLogit += Vector256.Equals(labels, Vector256.Create((float)c)) & shifted;
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            rowLosses[lane] = MathF.Log(sum.GetElement(lane)) - labelLogit.GetElement(lane);
        }

        return -Vector256.Sum(Vector256.Equals(predicted, labels).AsInt32());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradient(
        float* logits,
        long classStride,
        int classes,
        Vector256<float> labels,
        Vector256<float> batch,
        float* output,
        long outputStride)
    {
        var max = Vector256.Load(logits);
        for (var c = 1; c < classes; c++)
        {
            max = Vector256.Max(max, Vector256.Load(logits + (c * classStride)));
        }

        var sum = Vector256<float>.Zero;
        for (var c = 0; c < classes; c++)
        {
            var exponential = Exp(Vector256.Load(logits + (c * classStride)) - max);
            exponential.Store(output + (c * outputStride));
            sum += exponential;
        }

        for (var c = 0; c < classes; c++)
        {
            var softmax = Vector256.Load(output + (c * outputStride)) / sum;
            softmax -= Vector256.Equals(labels, Vector256.Create((float)c)) & Vector256<float>.One;
            (softmax / batch).Store(output + (c * outputStride));
        }
    }

    /// <summary>Where a seed's logits and labels lie, and the padding of a last block of fewer than eight rows.</summary>
    private readonly struct Layout(Tensor logits, Tensor labels)
    {
        private readonly float* _logits = (float*)CpuFloats.DataOf(logits);
        private readonly long* _labels = (long*)CpuFloats.DataOf(labels);
        private readonly long _seedStride = logits.stride(0);
        private readonly long _classStride = logits.stride(2);
        private readonly long _labelSeedStride = labels.stride(0);

        public int Seeds { get; } = (int)logits.shape[0];

        public int Classes { get; } = (int)logits.shape[2];

        /// <summary>
        /// Returns the logits of eight rows from <paramref name="row"/> and the distance between their classes, copied
        /// into zero-padded memory when fewer rows remain.
        /// </summary>
        public float* Block(int seed, long row, int rows, float* padded, out long classStride)
        {
            var first = _logits + (seed * _seedStride) + row;
            if (rows == Lanes)
            {
                classStride = _classStride;
                return first;
            }

            new Span<float>(padded, Classes * Lanes).Clear();
            for (var c = 0; c < Classes; c++)
            {
                new Span<float>(first + (c * _classStride), rows).CopyTo(new Span<float>(padded + (c * Lanes), rows));
            }

            classStride = Lanes;
            return padded;
        }

        /// <summary>Returns the labels of eight rows as floats. Lanes past the last row get -1, which matches no class.</summary>
        public Vector256<float> LabelVector(int seed, long row, int rows)
        {
            var first = _labels + (seed * _labelSeedStride) + row;
            var values = stackalloc float[Lanes];
            for (var lane = 0; lane < Lanes; lane++)
            {
                values[lane] = lane < rows ? first[lane] : -1;
            }

            return Vector256.Load(values);
        }
    }
}
