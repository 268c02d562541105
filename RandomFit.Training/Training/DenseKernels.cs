using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// The two large products of a stacked dense layer on one CPU thread, written with 512-bit vectors: the layer's output
/// X W + b (with its ReLU) and its weight gradient X^T G. For eight memorization MLPs in two lanes, libtorch's bmm on
/// [4, 64, 192] x [4, 192, 256] took 265-290 us and these loops 222-233 us. Unlike libtorch, the loops neither zero
/// the result before adding to it nor copy the operands into blocks of their own. Each output element sums its
/// products in order of the summed index from 0, one fused multiply-add each, and then adds its start value (the bias,
/// or 0). libtorch's CPU kernel computed the same bits on those shapes.
/// </summary>
internal static unsafe class DenseKernels
{
    // A tile is 4 rows by 4 vectors of 16 floats: 16 accumulators, 4 loads of the right operand and 4 broadcasts of
    // the left one per step of the summed index.
    private const int TileRows = 4;
    private const int Width = 16;
    private const int PanelColumns = 4 * Width;

    // Steps of the summed index per pass over a panel, so a panel of the right operand (256 x 64 floats) stays near
    // the core. Between passes the partial sums go through the result's memory unchanged.
    private const int DepthBlock = 256;

    /// <summary>
    /// Reports whether the loops apply to a stacked layer's <paramref name="input"/> [K, B, in] and
    /// <paramref name="weight"/> [K, in, out]: CPU float32, a contiguous weight, input rows of stride 1, out a multiple
    /// of 64, 512-bit vectors in hardware, and one libtorch thread on the calling thread, as in a lane. With more
    /// threads libtorch's products use them all, and these loops would not. Out is a multiple of 64, a panel's width.
    /// </summary>
    public static bool Applies(Tensor input, Tensor weight) =>
        Vector512.IsHardwareAccelerated && get_num_threads() == 1 && Fits(input, weight);

    /// <summary>The shape, type and layout part of <see cref="Applies"/>, which tests check on any machine.</summary>
    internal static bool Fits(Tensor input, Tensor weight)
    {
        if (input.dim() != 3 || weight.dim() != 3)
        {
            return false;
        }

        // Each read of a shape allocates an array, so each is read once: this runs for every layer and batch.
        // An empty summed index (no inputs for Affine, no rows for WeightGradient) would leave the result unwritten.
        var inputShape = input.shape;
        var weightShape = weight.shape;
        return inputShape[1] > 0 && inputShape[2] > 0
            && inputShape[0] == weightShape[0] && inputShape[2] == weightShape[1]
            && weightShape[2] % PanelColumns == 0 && input.stride(2) == 1 && CpuFloats.IsPlain(weight)
            && input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32;
    }

    /// <summary>
    /// Returns <paramref name="input"/> [K, B, in] x <paramref name="weight"/> [K, in, out] + <paramref name="bias"/>
    /// [K, 1, out] as a new contiguous [K, B, out], with a ReLU after it when <paramref name="relu"/> is set (a NaN stays
    /// NaN, as libtorch's ReLU keeps it). The caller checks <see cref="Fits"/>; the bias must be contiguous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Affine(Tensor input, Tensor weight, Tensor bias, bool relu)
    {
        var inputShape = input.shape;
        var seeds = inputShape[0];
        var rows = (int)inputShape[1];
        var depth = (int)inputShape[2];
        var columns = (int)weight.shape[2];
        var output = empty([seeds, rows, columns], ScalarType.Float32, input.device);
        var x = (float*)CpuFloats.DataOf(input);
        var w = (float*)CpuFloats.DataOf(weight);
        var b = (float*)CpuFloats.DataOf(bias);
        var o = (float*)CpuFloats.DataOf(output);
        var seedStride = input.stride(0);
        var rowStride = input.stride(1);
        for (long k = 0; k < seeds; k++)
        {
            var left = new Operand(x + (k * seedStride), rowStride, 1);
            Multiply(left, w + (k * depth * columns), o + (k * rows * columns), rows, columns, depth, b + (k * columns), relu);
        }

        return output;
    }

    /// <summary>
    /// Returns the weight gradient <paramref name="input"/>^T x <paramref name="gradient"/> for input [K, B, in] and the
    /// gradient of the layer's output [K, B, out], a new contiguous [K, in, out]. The caller checks <see cref="Fits"/>
    /// for the input and the weight; the gradient must be contiguous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor WeightGradient(Tensor input, Tensor gradient)
    {
        var inputShape = input.shape;
        var seeds = inputShape[0];
        var batch = (int)inputShape[1];
        var inputs = (int)inputShape[2];
        var outputs = (int)gradient.shape[2];
        var result = empty([seeds, inputs, outputs], ScalarType.Float32, input.device);
        var x = (float*)CpuFloats.DataOf(input);
        var g = (float*)CpuFloats.DataOf(gradient);
        var r = (float*)CpuFloats.DataOf(result);
        var seedStride = input.stride(0);
        var rowStride = input.stride(1);
        for (long k = 0; k < seeds; k++)
        {
            // Row i of the transposed input is column i of the input: step 1 between rows, a row of the input per step.
            var left = new Operand(x + (k * seedStride), 1, rowStride);
            Multiply(left, g + (k * batch * outputs), r + (k * inputs * outputs), inputs, outputs, batch, null, relu: false);
        }

        return result;
    }

    /// <summary>
    /// Sets c [rows, columns] to start + left [rows, depth] x right [depth, columns], where start is
    /// <paramref name="bias"/> in every row, or 0 when it is null. The right operand and the result are contiguous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(Operand left, float* right, float* c, int rows, int columns, int depth, float* bias, bool relu)
    {
        for (var first = 0; first < depth; first += DepthBlock)
        {
            var steps = Math.Min(DepthBlock, depth - first);

            // Each pass sums its products from 0 and then adds what the result held before, the bias on the first pass.
            var pass = new Pass(left.At(0, first), left.RowStride, left.StepStride, right + ((long)first * columns), columns, steps);
            var start = first == 0 ? bias : null;
            var last = relu && first + steps == depth;
            for (var column = 0; column < columns; column += PanelColumns)
            {
                var row = 0;
                for (; row + TileRows <= rows; row += TileRows)
                {
                    var target = c + ((long)row * columns) + column;
                    Tile(pass, row, column, target, Added(target, start, column, first > 0), first > 0, last);
                }

                for (; row < rows; row++)
                {
                    for (var part = column; part < column + PanelColumns; part += Width)
                    {
                        Strip(pass, row, part, c, start, first > 0, last);
                    }
                }
            }
        }
    }

    // Four rows by 64 columns. Added is null, the bias's 64 columns (every row adds the same), or the target itself.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(Pass pass, int row, int column, float* target, float* added, bool addedIsTarget, bool relu)
    {
        var s00 = Vector512<float>.Zero;
        var s01 = Vector512<float>.Zero;
        var s02 = Vector512<float>.Zero;
        var s03 = Vector512<float>.Zero;
        var s10 = Vector512<float>.Zero;
        var s11 = Vector512<float>.Zero;
        var s12 = Vector512<float>.Zero;
        var s13 = Vector512<float>.Zero;
        var s20 = Vector512<float>.Zero;
        var s21 = Vector512<float>.Zero;
        var s22 = Vector512<float>.Zero;
        var s23 = Vector512<float>.Zero;
        var s30 = Vector512<float>.Zero;
        var s31 = Vector512<float>.Zero;
        var s32 = Vector512<float>.Zero;
        var s33 = Vector512<float>.Zero;
        var rowStride = pass.RowStride;
        var stepStride = pass.StepStride;
        var columns = pass.Columns;
        var steps = pass.Steps;
        var a = pass.Left + (row * rowStride);
        var b = pass.Right + column;
        for (var step = 0; step < steps; step++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + Width);
            var b2 = Vector512.Load(b + (2 * Width));
            var b3 = Vector512.Load(b + (3 * Width));
            var x = Vector512.Create(a[0]);
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            s02 = Vector512.FusedMultiplyAdd(x, b2, s02);
            s03 = Vector512.FusedMultiplyAdd(x, b3, s03);
            x = Vector512.Create(a[rowStride]);
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            s12 = Vector512.FusedMultiplyAdd(x, b2, s12);
            s13 = Vector512.FusedMultiplyAdd(x, b3, s13);
            x = Vector512.Create(a[2 * rowStride]);
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            s22 = Vector512.FusedMultiplyAdd(x, b2, s22);
            s23 = Vector512.FusedMultiplyAdd(x, b3, s23);
            x = Vector512.Create(a[3 * rowStride]);
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            s32 = Vector512.FusedMultiplyAdd(x, b2, s32);
            s33 = Vector512.FusedMultiplyAdd(x, b3, s33);
            a += stepStride;
            b += columns;
        }

        var addedStride = addedIsTarget ? columns : 0;
        Store(target, added, s00, s01, s02, s03, relu);
        Store(target + columns, added is null ? null : added + addedStride, s10, s11, s12, s13, relu);
        Store(target + (2 * columns), added is null ? null : added + (2 * addedStride), s20, s21, s22, s23, relu);
        Store(target + (3 * columns), added is null ? null : added + (3 * addedStride), s30, s31, s32, s33, relu);
    }

    // One row by 16 columns, for the rows after the last whole tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip(Pass pass, int row, int column, float* c, float* bias, bool addTarget, bool relu)
    {
        var target = c + ((long)row * pass.Columns) + column;
        var sum = Vector512<float>.Zero;
        var a = pass.Left + (row * pass.RowStride);
        var b = pass.Right + column;
        for (var step = 0; step < pass.Steps; step++)
        {
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(*a), Vector512.Load(b), sum);
            a += pass.StepStride;
            b += pass.Columns;
        }

        var added = Added(target, bias, column, addTarget);
        if (added is not null)
        {
            sum += Vector512.Load(added);
        }

        Finish(sum, relu).Store(target);
    }

    // Returns what a pass adds to its sums at column: the target itself after the first pass, else the bias or nothing.
    private static float* Added(float* target, float* bias, int column, bool addTarget)
    {
        if (addTarget)
        {
            return target;
        }

        return bias is null ? null : bias + column;
    }

    // Inlined, so the tile's accumulators live across no call; a call made the compiler keep them in memory in the loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* target, float* added, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, bool relu)
    {
        if (added is not null)
        {
            v0 += Vector512.Load(added);
            v1 += Vector512.Load(added + Width);
            v2 += Vector512.Load(added + (2 * Width));
            v3 += Vector512.Load(added + (3 * Width));
        }

        Finish(v0, relu).Store(target);
        Finish(v1, relu).Store(target + Width);
        Finish(v2, relu).Store(target + (2 * Width));
        Finish(v3, relu).Store(target + (3 * Width));
    }

    // Vector512.Max keeps a NaN, as libtorch's ReLU does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Finish(Vector512<float> sum, bool relu) =>
        relu ? Vector512.Max(sum, Vector512<float>.Zero) : sum;

    /// <summary>A left operand: element (i, j) lies at Start + i * RowStride + j * StepStride.</summary>
    private readonly struct Operand(float* start, long rowStride, long stepStride)
    {
        public long RowStride { get; } = rowStride;

        public long StepStride { get; } = stepStride;

        public float* At(long row, long step) => start + (row * RowStride) + (step * StepStride);
    }

    /// <summary>One pass over a block of the summed index: the left operand's block, and the right one's rows.</summary>
    private readonly struct Pass(float* left, long rowStride, long stepStride, float* right, int columns, int steps)
    {
        public float* Left { get; } = left;

        public long RowStride { get; } = rowStride;

        public long StepStride { get; } = stepStride;

        public float* Right { get; } = right;

        public int Columns { get; } = columns;

        public int Steps { get; } = steps;
    }
}
