using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using RandomFit.Training.Specs;

namespace RandomFit.Training.Data;

/// <summary>
/// One array of a <c>.npy</c> file (NumPy format versions 1 to 3): its dtype, shape and raw little-endian bytes.
/// Only C-order arrays of the dtypes <see cref="NpyArray"/> converts are read.
/// </summary>
public sealed partial class NpyArray
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private NpyArray(string source, string descr, long[] shape, byte[] data, int offset)
    {
        Source = source;
        Descr = descr;
        Shape = shape;
        _data = data;
        _offset = offset;
    }

    private readonly byte[] _data;
    private readonly int _offset;

    /// <summary>Where the array came from in messages, such as <c>x.npy in data.npz</c>.</summary>
    public string Source { get; }

    /// <summary>NumPy's type string, such as <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    /// <summary>The array's dimensions.</summary>
    public long[] Shape { get; }

    private ReadOnlySpan<byte> Data => _data.AsSpan(_offset);

    /// <summary>
    /// Parses a whole <c>.npy</c> file. Throws <see cref="DatasetFormatException"/> for a bad magic string or header,
    /// Fortran order, an unknown dtype, or data shorter or longer than the header declares.
    /// </summary>
    public static NpyArray Parse(byte[] file, string source)
    {
        if (file.Length < 10 || !file.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new DatasetFormatException($"{source} is not a .npy array: it does not start with \\x93NUMPY.");
        }

        var major = file[6];
        var (headerLength, headerStart) = major switch
        {
            1 => (BitConverter.ToUInt16(file, 8), 10),
            2 or 3 when file.Length >= 12 => ((int)BitConverter.ToUInt32(file, 8), 12),
            _ => throw new DatasetFormatException(
                $"{source} has .npy format version {major}; versions 1, 2 and 3 can be read."),
        };
        if (headerLength < 0 || headerStart + (long)headerLength > file.Length)
        {
            throw new DatasetFormatException($"{source} is truncated: its header is cut off.");
        }

        var header = Encoding.UTF8.GetString(file, headerStart, headerLength);
        var (descr, fortranOrder, shape) = ParseHeader(header, source);
        if (fortranOrder)
        {
            throw new DatasetFormatException(
                $"{source} is stored in Fortran order; save it in C order (np.ascontiguousarray(a)) and upload again.");
        }

        var dataStart = headerStart + headerLength;
        var elementSize = ElementSize(descr);
        var follow = file.Length - dataStart;

        // BigInteger, because a header may declare dimensions whose product overflows any fixed-size number.
        var declared = elementSize is null ? 0 : shape.Aggregate(BigInteger.One, (product, d) => product * d) * elementSize.Value;
        if (elementSize is not null && declared != follow)
        {
            var declaredArray = $"{string.Join("x", shape)} {TypeName(descr)} ({Bytes(declared)})";
            throw declared > follow
                ? new DatasetFormatException($"{source} is truncated: the header declares {declaredArray} but {Bytes(follow)} follow.")
                : new DatasetFormatException(
                    $"{source} has {Bytes(follow - declared)} after the data: the header declares {declaredArray}.");
        }

        return new NpyArray(source, descr, shape, file, dataStart);
    }

    /// <summary>
    /// Returns the values as float32; uint8 values are scaled by 1/255 to [0, 1], the range of uniform generated
    /// inputs. Throws <see cref="DatasetFormatException"/> for any dtype but float32, float64 and uint8.
    /// </summary>
    public float[] ToInputs(string arrayName)
    {
        // .NET runs little-endian on every platform TorchSharp supports, so '<' data can be reinterpreted directly.
        switch (Descr)
        {
            case "<f4":
                return MemoryMarshal.Cast<byte, float>(Data).ToArray();
            case "<f8":
                var doubles = MemoryMarshal.Cast<byte, double>(Data);
                var singles = new float[doubles.Length];
                for (var i = 0; i < doubles.Length; i++)
                {
                    singles[i] = (float)doubles[i];
                    if (float.IsInfinity(singles[i]) && double.IsFinite(doubles[i]))
                    {
                        throw OutsideFloat32(arrayName, doubles[i], i);
                    }
                }

                return singles;
            case "|u1":
                return ScaleBytes(Data);
            default:
                throw new DatasetFormatException(
                    $"{Source} has dtype {EchoedText.Quote(Descr)}; "
                    + $"{arrayName} must be float32 ('<f4'), float64 ('<f8') or uint8 ('|u1').");
        }
    }

    // A finite float64 beyond float32's range would become infinity on conversion, and the finiteness check that
    // follows would then report a value the file does not contain.
    private static DatasetFormatException OutsideFloat32(string arrayName, double value, int index)
    {
        var max = float.MaxValue.ToString(CultureInfo.InvariantCulture);
        return new DatasetFormatException(
            $"{arrayName} contains {value.ToString(CultureInfo.InvariantCulture)} at flat index "
            + $"{index.ToString("N0", CultureInfo.InvariantCulture)}, which is finite but outside float32's range "
            + $"(-{max} to {max}). Inputs are converted to float32, so scale {arrayName} into that range and upload again.");
    }

    /// <summary>
    /// Returns the values as int64 class indices. Throws <see cref="DatasetFormatException"/> for any dtype but
    /// int64, int32 and uint8.
    /// </summary>
    public long[] ToLabels(string arrayName) => Descr switch
    {
        "<i8" => MemoryMarshal.Cast<byte, long>(Data).ToArray(),
        "<i4" => Widen(MemoryMarshal.Cast<byte, int>(Data)),
        "|u1" => Widen(Data),
        _ => throw new DatasetFormatException(
            $"{Source} has dtype {EchoedText.Quote(Descr)}; "
                + $"{arrayName} must be int64 ('<i8'), int32 ('<i4') or uint8 ('|u1')."),
    };

    /// <summary>Scales bytes to [0, 1] by 1/255.</summary>
    public static float[] ScaleBytes(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            values[i] = bytes[i] / 255f;
        }

        return values;
    }

    /// <summary>Writes a byte count as "12,000,000 bytes".</summary>
    public static string Bytes(BigInteger count) =>
        count.IsOne ? "1 byte" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} bytes";

    private static long[] Widen(ReadOnlySpan<int> values)
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static long[] Widen(ReadOnlySpan<byte> values)
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static (string Descr, bool FortranOrder, long[] Shape) ParseHeader(string header, string source)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new DatasetFormatException(
                $"{source} has an invalid header: expected a dict with 'descr', 'fortran_order' and 'shape'.");
        }

        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var dim))
            {
                throw new DatasetFormatException(
                    $"{source} has an invalid shape in its header: ({EchoedText.Format(shape.Groups[1].Value)}).");
            }

            dims.Add(dim);
        }

        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    // Sizes of the dtypes that can be read; other dtypes fail on conversion with a message naming the array's role.
    private static int? ElementSize(string descr) => descr switch
    {
        "<f4" or "<i4" => 4,
        "<f8" or "<i8" => 8,
        "|u1" => 1,
        _ => null,
    };

    private static string TypeName(string descr) => descr switch
    {
        "<f4" => "float32",
        "<f8" => "float64",
        "<i4" => "int32",
        "<i8" => "int64",
        "|u1" => "uint8",
        _ => descr,
    };

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
