using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// Where a run keeps its checkpoint and how often it writes one.
/// </summary>
/// <param name="Path">The checkpoint file. It is replaced atomically, so a crash leaves the previous one whole.</param>
/// <param name="EveryEpochs">A checkpoint is written after each epoch that is a multiple of this number.</param>
/// <param name="Resume">Whether training starts from the checkpoint at <paramref name="Path"/>.</param>
public sealed record CheckpointPlan(string Path, int EveryEpochs, bool Resume);

/// <summary>The header of a checkpoint file.</summary>
/// <param name="Epoch">The epoch the checkpoint was written after.</param>
/// <param name="ElapsedSeconds">The run's elapsed seconds at the end of that epoch.</param>
/// <param name="Stacked">Whether a stacked cohort wrote it, so that only a stacked cohort can resume from it.</param>
public sealed record CheckpointHeader(int Epoch, double ElapsedSeconds, bool Stacked);

/// <summary>
/// Reads and writes a run's checkpoint: the epoch number, the elapsed seconds, the model's parameters and buffers,
/// the optimizer's state and the state of every generator drawn from during the epochs. The data and the initial
/// weights are not stored because they are made again from the run's seeds. A stacked cohort writes its own format
/// (see <see cref="StackedCheckpoint"/>) after the same kind of header, under a different format tag.
/// </summary>
public static class RunCheckpoint
{
    private const string FormatTag = "RandomFit checkpoint v1";
    private const string StackedFormatTag = "RandomFit stacked checkpoint v1";

    /// <summary>Returns the epoch a checkpoint file was written after, or null when it is missing or unreadable.</summary>
    public static int? TryReadEpoch(string path) => TryReadHeader(path)?.Epoch;

    /// <summary>Returns the header of a checkpoint file of either format, or null when it is missing or unreadable.</summary>
    public static CheckpointHeader? TryReadHeader(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            return ReadHeader(reader);
        }
        catch (Exception exception)
            when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes a checkpoint file, the previous checkpoint kept beside it and any temporary file left by an interrupted
    /// write.
    /// </summary>
    public static void Delete(string path)
    {
        // The folder is created with the first checkpoint, so before that there is nothing to delete, and
        // File.Delete would raise DirectoryNotFoundException for the missing folder.
        if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
        {
            return;
        }

        File.Delete(path);
        File.Delete(PreviousPath(path));
        File.Delete(TemporaryPath(path));
    }

    /// <summary>
    /// Returns the path of the checkpoint written before the one at <paramref name="path"/>. Epochs are committed to
    /// the database after the trainer reports them, so a crash can leave the newest checkpoint ahead of the stored
    /// epochs while the previous one is still behind them.
    /// </summary>
    public static string PreviousPath(string path) => path + ".previous";

    /// <summary>Writes a checkpoint to a temporary file, then renames it over <paramref name="path"/>.</summary>
    internal static void Save(
        string path,
        int epoch,
        double elapsedSeconds,
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        IReadOnlyList<Generator> generators)
    {
        Write(path, new CheckpointHeader(epoch, elapsedSeconds, Stacked: false), writer =>
        {
            model.save(writer);
            Helper(optimizer).save_state_dict(writer);
            writer.Write(generators.Count);
            foreach (var generator in generators)
            {
                WriteGenerator(writer, generator);
            }
        });
    }

    /// <summary>
    /// Restores the model, optimizer and generators from a checkpoint and returns its epoch and elapsed seconds.
    /// </summary>
    internal static (int Epoch, double ElapsedSeconds) Load(
        string path,
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        IReadOnlyList<Generator> generators)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var header = ReadHeader(reader);
        if (header.Stacked)
        {
            throw new InvalidDataException(
                $"The checkpoint {Path.GetFileName(path)} was written by a stacked cohort, so it cannot resume a separate run.");
        }

        model.load(reader);
        Helper(optimizer).load_state_dict(reader);
        var count = reader.ReadInt32();
        if (count != generators.Count)
        {
            throw new InvalidDataException(
                $"The checkpoint {Path.GetFileName(path)} contains {count} generator states, but this run uses {generators.Count}.");
        }

        foreach (var generator in generators)
        {
            ReadGenerator(reader, generator);
        }

        return (header.Epoch, header.ElapsedSeconds);
    }

    /// <summary>
    /// Writes a header and the body that <paramref name="writeBody"/> writes to a temporary file, then renames it
    /// over <paramref name="path"/>, so a crash leaves the previous checkpoint whole. The checkpoint it replaces is
    /// kept at <see cref="PreviousPath"/>.
    /// </summary>
    internal static void Write(string path, CheckpointHeader header, Action<BinaryWriter> writeBody)
    {
        var temporary = TemporaryPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(header.Stacked ? StackedFormatTag : FormatTag);
            writer.Write(header.Epoch);
            writer.Write(header.ElapsedSeconds);
            writeBody(writer);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        // Replace links the old file to the previous path and then renames the new one over it, so a reader never
        // finds the path empty.
        if (File.Exists(path))
        {
            File.Replace(temporary, path, PreviousPath(path));
        }
        else
        {
            File.Move(temporary, path, overwrite: true);
        }
    }

    /// <summary>Reads the header of either format; throws InvalidDataException for any other file.</summary>
    internal static CheckpointHeader ReadHeader(BinaryReader reader)
    {
        var stacked = reader.ReadString() switch
        {
            FormatTag => false,
            StackedFormatTag => true,
            _ => throw new InvalidDataException("The file is not a RandomFit checkpoint of this version."),
        };
        return new CheckpointHeader(reader.ReadInt32(), reader.ReadDouble(), stacked);
    }

    internal static void WriteGenerator(BinaryWriter writer, Generator generator)
    {
        using var state = generator.get_state();
        var bytes = state.data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    internal static void ReadGenerator(BinaryReader reader, Generator generator)
    {
        var bytes = reader.ReadBytes(reader.ReadInt32());
        using var state = tensor(bytes, ScalarType.Byte);
        generator.set_state(state);
    }

    // Adam and SGD are implemented in managed code on OptimizerHelper, which is what serializes their state.
    internal static OptimizerHelper Helper(optim.Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} cannot save its state.");

    private static string TemporaryPath(string path) => path + ".tmp";
}
