using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace RandomFit.Tests.Data;

/// <summary>Writes .npy, .npz and IDX files the way NumPy and the MNIST distribution lay them out.</summary>
public static class DatasetFiles
{
    /// <summary>A .npy file (format 1.0) with the given dtype string, shape and raw data bytes.</summary>
    public static byte[] Npy(string descr, long[] shape, ReadOnlySpan<byte> data, bool fortranOrder = false)
    {
        var dims = string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var tuple = shape.Length == 1 ? $"({dims},)" : $"({dims})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {tuple}, }}";

        // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
        var padded = dict.PadRight(((10 + dict.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        var header = Encoding.ASCII.GetBytes(padded);
        var file = new byte[10 + header.Length + data.Length];
        file[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(file, 1);
        file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        header.CopyTo(file, 10);
        data.CopyTo(file.AsSpan(10 + header.Length));
        return file;
    }

    public static byte[] Npy(float[] values, params long[] shape) => Npy("<f4", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Npy(double[] values, params long[] shape) => Npy("<f8", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Npy(byte[] values, params long[] shape) => Npy("|u1", shape, values);

    public static byte[] Npy(long[] values) => Npy("<i8", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Npy(int[] values) => Npy("<i4", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>A .npz archive of the named .npy files, as np.savez (stored) or np.savez_compressed writes it.</summary>
    public static byte[] Npz(bool compressed, params (string Name, byte[] Npy)[] arrays)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, npy) in arrays)
            {
                var entry = archive.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var stream = entry.Open();
                stream.Write(npy);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Npz(params (string Name, byte[] Npy)[] arrays) => Npz(false, arrays);

    /// <summary>An IDX images file: magic 0x00000803, then N, H, W big-endian, then the pixels.</summary>
    public static byte[] IdxImages(byte[] pixels, int count, int height, int width) =>
        Idx(0x00000803, [count, height, width], pixels);

    /// <summary>An IDX labels file: magic 0x00000801, then N big-endian, then the labels.</summary>
    public static byte[] IdxLabels(byte[] labels) => Idx(0x00000801, [labels.Length], labels);

    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var file = new byte[4 + (4 * dims.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(file, 4 + (4 * dims.Length));
        return file;
    }
}
