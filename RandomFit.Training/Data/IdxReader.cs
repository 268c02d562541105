using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;

namespace RandomFit.Training.Data;

/// <summary>
/// Reads MNIST-style IDX files: an images file (magic 0x00000803, uint8 [N, H, W], read as one channel scaled to
/// [0, 1]) and a labels file (magic 0x00000801, uint8 [N]). Gzip-compressed files (<c>.gz</c>) are accepted too.
/// </summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Reads and checks an images file and its labels file. <paramref name="maxFileBytes"/> caps each file's size after
    /// decompression. Throws <see cref="DatasetFormatException"/> naming the file and the fault.
    /// </summary>
    public static ArrayData Read(
        Stream images,
        string imagesName,
        Stream labels,
        string labelsName,
        long maxFileBytes)
    {
        var imageBytes = ReadAll(images, imagesName, maxFileBytes);
        var labelBytes = ReadAll(labels, labelsName, maxFileBytes);
        var (imageShape, imageData) = Parse(imageBytes, imagesName, ImagesMagic, "an IDX images file", "unsigned bytes, 3 dimensions");
        var (labelShape, labelData) = Parse(labelBytes, labelsName, LabelsMagic, "an IDX labels file", "unsigned bytes, 1 dimension");

        var labelValues = new long[labelData.Length];
        for (var i = 0; i < labelData.Length; i++)
        {
            labelValues[i] = labelData[i];
        }

        return ArrayData.Create(
            new InputArray(imagesName, imageShape, NpyArray.ScaleBytes(imageData)),
            new LabelArray(labelsName, labelShape, labelValues),
            null,
            null);
    }

    private static (long[] Shape, byte[] Data) Parse(byte[] file, string name, int magic, string kind, string layout)
    {
        var dimensions = magic & 0xFF;
        var headerLength = 4 + (4 * dimensions);
        var actualMagic = file.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(file) : -1;
        if (actualMagic != magic)
        {
            var magicText = file.Length >= 4 ? $"0x{actualMagic:X8}" : "missing (the file is shorter than 4 bytes)";
            throw new DatasetFormatException($"{name} is not {kind}: its magic number is {magicText}; expected 0x{magic:X8} ({layout}).");
        }

        if (file.Length < headerLength)
        {
            throw new DatasetFormatException($"{name} is truncated: its header is cut off.");
        }

        var shape = new long[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            shape[i] = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(4 + (4 * i)));
        }

        var declared = shape.Aggregate(BigInteger.One, (product, d) => product * d);
        var follow = file.Length - headerLength;
        if (declared != follow)
        {
            var declaredArray = $"{string.Join("x", shape)} uint8 ({NpyArray.Bytes(declared)})";
            throw declared > follow
                ? new DatasetFormatException($"{name} is truncated: the header declares {declaredArray} but {NpyArray.Bytes(follow)} follow.")
                : new DatasetFormatException($"{name} has {NpyArray.Bytes(follow - declared)} after the data: the header declares {declaredArray}.");
        }

        return (shape, file[headerLength..]);
    }

    private static byte[] ReadAll(Stream stream, string name, long maxFileBytes)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes is not [0x1F, 0x8B, ..])
        {
            return bytes;
        }

        // Stops once the expanded size passes the limit, so a small compressed file cannot expand without bound.
        using var expanded = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var chunk = new byte[81920];
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                expanded.Write(chunk, 0, read);
                if (expanded.Length > maxFileBytes)
                {
                    throw new DatasetFormatException(
                        $"{name} expands to more than {NpyArray.Bytes(maxFileBytes)}, the limit for one file.");
                }
            }
        }
        catch (InvalidDataException)
        {
            // The exception's own message is generic (for a CRC-32 mismatch, .NET 10 names an unsupported
            // compression method), so it is left out.
            throw TruncatedOrCorrupted(name, "its compressed data or gzip trailer (CRC-32 and length) is invalid");
        }

        if (CheckLastTrailer(bytes, expanded.GetBuffer().AsSpan(0, (int)expanded.Length)) is { } fault)
        {
            throw TruncatedOrCorrupted(name, fault);
        }

        return expanded.ToArray();
    }

    // GZipStream checks a member's CRC-32 and length only when its 8-byte trailer is complete. Input that ends
    // earlier, inside the trailer or the compressed data, decompresses without an error to whatever came before.
    // A complete file ends with the trailer of its last member, which covers the last ISIZE bytes of the output.
    // Other bytes after the last member fail this check, except 8 or more zeros, which read as an empty trailer.
    private static string? CheckLastTrailer(ReadOnlySpan<byte> file, ReadOnlySpan<byte> output)
    {
        const int HeaderBytes = 10;
        const int TrailerBytes = 8;
        if (file.Length < HeaderBytes + TrailerBytes)
        {
            return $"it has {NpyArray.Bytes(file.Length)}, fewer than a gzip header and trailer take";
        }

        var trailer = file[^TrailerBytes..];
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        var matches = length <= output.Length && Crc32.HashToUInt32(output[^(int)length..]) == crc;
        return matches ? null : "its gzip trailer (CRC-32 and length) does not match the decompressed data";
    }

    private static DatasetFormatException TruncatedOrCorrupted(string name, string fault) =>
        new($"{name} is gzip-compressed but truncated or corrupted: {fault}. Send the complete file again.");
}
