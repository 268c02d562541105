using System.IO.Compression;
using RandomFit.Training.Specs;

namespace RandomFit.Training.Data;

/// <summary>
/// Reads a NumPy <c>.npz</c> archive (as <c>np.savez</c> or <c>np.savez_compressed</c> write it) with arrays <c>x</c>
/// and <c>y</c>, and optionally <c>x_test</c> and <c>y_test</c>.
/// </summary>
public static class NpzReader
{
    private static readonly string[] ArrayNames = ["x", "y", "x_test", "y_test"];

    /// <summary>
    /// Reads and checks the arrays. <paramref name="maxArrayBytes"/> caps each array's uncompressed size, so a small
    /// compressed upload cannot expand without bound. Throws <see cref="DatasetFormatException"/> naming the file or
    /// array and the fault.
    /// </summary>
    public static ArrayData Read(Stream npz, string fileName, long maxArrayBytes)
    {
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(npz, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (!ArrayNames.Contains(name))
                {
                    throw new DatasetFormatException(
                        $"{fileName} contains an array named {EchoedText.Format(name)}; "
                        + "expected x and y, optionally x_test and y_test.");
                }

                var source = $"{entry.FullName} in {fileName}";
                arrays[name] = NpyArray.Parse(ReadEntry(entry, source, maxArrayBytes), source);
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException)
        {
            throw new DatasetFormatException(
                $"{fileName} is not a readable .npz file (a zip archive of .npy arrays): {exception.Message}");
        }

        var x = Inputs(arrays, "x")
            ?? throw new DatasetFormatException($"{fileName} has no array x; save the inputs as x (np.savez(f, x=..., y=...)).");
        var y = Labels(arrays, "y")
            ?? throw new DatasetFormatException($"{fileName} has no array y; save one class index per sample of x as y.");
        return ArrayData.Create(x, y, Inputs(arrays, "x_test"), Labels(arrays, "y_test"));
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string source, long maxArrayBytes)
    {
        if (entry.Length > maxArrayBytes || entry.Length > Array.MaxLength)
        {
            throw new DatasetFormatException(
                $"{source} expands to {NpyArray.Bytes(entry.Length)}; the limit is {NpyArray.Bytes(Math.Min(maxArrayBytes, Array.MaxLength))}.");
        }

        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static InputArray? Inputs(Dictionary<string, NpyArray> arrays, string name) =>
        arrays.TryGetValue(name, out var array) ? new InputArray(name, array.Shape, array.ToInputs(name)) : null;

    private static LabelArray? Labels(Dictionary<string, NpyArray> arrays, string name) =>
        arrays.TryGetValue(name, out var array) ? new LabelArray(name, array.Shape, array.ToLabels(name)) : null;
}
