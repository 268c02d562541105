using System.Runtime.InteropServices;
using RandomFit.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// Reads and writes one run's checkpoint in a stacked cohort: the run's slice of every stacked parameter and of the
/// optimizer state (Adam's moments and step, or SGD's momentum buffer) and its batch-order generator. Each run has
/// its own file, so runs can resume in a cohort of other seeds, provided every checkpoint has the same epoch.
/// </summary>
internal static class StackedCheckpoint
{
    private const byte AdamState = 1;
    private const byte SgdState = 2;

    /// <summary>Writes the checkpoint of the run at index <paramref name="seed"/> of the cohort.</summary>
    public static void Save(
        string path,
        int epoch,
        double elapsedSeconds,
        StackedNetwork network,
        optim.Optimizer optimizer,
        int seed,
        Generator orderGenerator)
    {
        var states = RunCheckpoint.Helper(optimizer).state_dict().State;
        RunCheckpoint.Write(path, new CheckpointHeader(epoch, elapsedSeconds, Stacked: true), writer =>
        {
            var parameters = network.Parameters;
            writer.Write(parameters.Count);
            foreach (var parameter in parameters)
            {
                WriteSlice(writer, network, parameter, seed);
            }

            for (var i = 0; i < parameters.Count; i++)
            {
                WriteOptimizerState(writer, network, states[i], seed);
            }

            RunCheckpoint.WriteGenerator(writer, orderGenerator);
        });
    }

    /// <summary>
    /// Restores the run at index <paramref name="seed"/> of the cohort from its checkpoint and returns the header.
    /// Index 0 must be loaded first, because it sets the optimizer state shared by every seed (Adam's step and whether
    /// SGD has a momentum buffer), which the other seeds' checkpoints must then agree with.
    /// </summary>
    public static CheckpointHeader Load(
        string path,
        StackedNetwork network,
        optim.Optimizer optimizer,
        int seed,
        Generator orderGenerator)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var header = RunCheckpoint.ReadHeader(reader);
        if (!header.Stacked)
        {
            throw new InvalidDataException(
                $"The checkpoint {Path.GetFileName(path)} was written by a separate run, so it cannot resume a run of a stacked cohort.");
        }

        var parameters = network.Parameters;
        var count = reader.ReadInt32();
        if (count != parameters.Count)
        {
            throw new InvalidDataException(
                $"The checkpoint {Path.GetFileName(path)} contains {count} parameters, but the stacked model has {parameters.Count}.");
        }

        var states = RunCheckpoint.Helper(optimizer).state_dict().State;
        using var noGrad = no_grad();
        foreach (var parameter in parameters)
        {
            ReadSlice(reader, network, parameter, seed, path);
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            ReadOptimizerState(reader, network, parameters[i], states[i], seed, path);
        }

        RunCheckpoint.ReadGenerator(reader, orderGenerator);
        return header;
    }

    private static void WriteOptimizerState(BinaryWriter writer, StackedNetwork network, OptimizerState state, int seed)
    {
        switch (state)
        {
            case Adam.State { max_exp_avg_sq: null } adam:
                writer.Write(AdamState);
                writer.Write(adam.step);
                WriteSlice(writer, network, adam.exp_avg, seed);
                WriteSlice(writer, network, adam.exp_avg_sq, seed);
                break;
            case SGD.State sgd:
                writer.Write(SgdState);
                writer.Write(sgd.momentum_buffer is not null);
                if (sgd.momentum_buffer is not null)
                {
                    WriteSlice(writer, network, sgd.momentum_buffer, seed);
                }

                break;
            default:
                throw new NotSupportedException($"Optimizer state {state.GetType().FullName} cannot be saved per seed.");
        }
    }

    private static void ReadOptimizerState(
        BinaryReader reader,
        StackedNetwork network,
        Parameter parameter,
        OptimizerState state,
        int seed,
        string path)
    {
        var kind = reader.ReadByte();
        switch (state)
        {
            case Adam.State adam when kind == AdamState:
                var step = reader.ReadInt64();
                if (seed == 0)
                {
                    adam.step = step;
                }
                else if (adam.step != step)
                {
                    throw new InvalidDataException(
                        $"The checkpoint {Path.GetFileName(path)} is at optimizer step {step}, but the cohort's first run is at {adam.step}.");
                }

                ReadSlice(reader, network, adam.exp_avg, seed, path);
                ReadSlice(reader, network, adam.exp_avg_sq, seed, path);
                break;
            case SGD.State sgd when kind == SgdState:
                var hasBuffer = reader.ReadBoolean();
                if (seed == 0 && hasBuffer && sgd.momentum_buffer is null)
                {
                    sgd.momentum_buffer = zeros_like(parameter);
                }

                if (hasBuffer != (sgd.momentum_buffer is not null))
                {
                    throw new InvalidDataException(
                        $"The checkpoint {Path.GetFileName(path)} and the cohort's first run disagree on whether SGD has a momentum buffer.");
                }

                if (sgd.momentum_buffer is not null)
                {
                    ReadSlice(reader, network, sgd.momentum_buffer, seed, path);
                }

                break;
            default:
                throw new InvalidDataException(
                    $"The checkpoint {Path.GetFileName(path)} was written with another optimizer than {state.GetType().DeclaringType?.Name}.");
        }
    }

    // Float32 values in row-major order after the rank and the sizes.
    private static void WriteSlice(BinaryWriter writer, StackedNetwork network, Tensor stacked, int seed)
    {
        if (stacked.dtype != ScalarType.Float32)
        {
            throw new NotSupportedException($"Only float32 tensors are saved per seed, not {stacked.dtype}.");
        }

        using var scope = NewDisposeScope();
        var slice = network.SeedSlice(stacked, seed);
        var values = slice.detach().cpu().contiguous().data<float>().ToArray();
        writer.Write(slice.shape.Length);
        foreach (var size in slice.shape)
        {
            writer.Write(size);
        }

        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void ReadSlice(BinaryReader reader, StackedNetwork network, Tensor stacked, int seed, string path)
    {
        using var scope = NewDisposeScope();
        var slice = network.SeedSlice(stacked, seed);
        var shape = new long[reader.ReadInt32()];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = reader.ReadInt64();
        }

        if (!shape.SequenceEqual(slice.shape))
        {
            throw new InvalidDataException(
                $"The checkpoint {Path.GetFileName(path)} contains a tensor of shape [{string.Join(", ", shape)}] where the model has "
                + $"[{string.Join(", ", slice.shape)}]; it was written for another model.");
        }

        var length = checked((int)slice.numel() * sizeof(float));
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException($"The checkpoint {Path.GetFileName(path)} ends inside a tensor.");
        }

        var loaded = tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
        slice.copy_(loaded);
    }
}
