using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Training.Data;

/// <summary>Turns an uploaded dataset into a run's tensors, the way <see cref="DataGenerator"/> makes generated ones.</summary>
public static class FileData
{
    /// <summary>
    /// Builds the dataset on the CPU. The training split is the first <see cref="DataSpec.TrainSamples"/> samples of
    /// <c>x</c>; the test split is the first <see cref="DataSpec.TestSamples"/> of <c>x_test</c> when the file has one,
    /// else the samples of <c>x</c> that follow the training split. Labels come from <c>y</c>; random labels are
    /// redrawn from the data seed and corrupted ones replaced with probability <see cref="DataSpec.Corruption"/>,
    /// training split first. Pixel transforms and standardization come last, as for generated data. The spec must
    /// already be validated against the dataset.
    /// </summary>
    public static Dataset Build(ArrayData arrays, DataSpec data, int dataSeed)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        var trainCount = data.TrainSamples ?? throw new ArgumentException("The data has no train samples.", nameof(data));
        using var generator = new Generator(RunSeeds.Derive(dataSeed, RunSeeds.DataStream), CPU);
        long[] sample = [shape.Channels!.Value, shape.Height!.Value, shape.Width!.Value];

        var trainInputs = Slice(arrays.Inputs, 0, trainCount, sample);
        var trainLabels = SliceLabels(arrays.Labels, 0, trainCount);
        Tensor? testInputs = null;
        Tensor? testLabels = null;
        if (data.TestSamples > 0)
        {
            var (inputs, labels, start) = arrays.TestInputs is { } fileTest && arrays.TestLabels is { } fileLabels
                ? (fileTest, fileLabels, 0)
                : (arrays.Inputs, arrays.Labels, trainCount);
            testInputs = Slice(inputs, start, data.TestSamples, sample);
            testLabels = SliceLabels(labels, start, data.TestSamples);
        }

        trainLabels = StructuredLabels.Apply(trainLabels, data, isTest: false, generator);
        testLabels = testLabels is null ? null : StructuredLabels.Apply(testLabels, data, isTest: true, generator);
        var raw = new Dataset(trainInputs, trainLabels, testInputs, testLabels);
        return PixelTransforms.Apply(raw, data, generator);
    }

    private static Tensor Slice(InputArray array, int start, int count, long[] sample)
    {
        var size = sample[0] * sample[1] * sample[2];
        var values = array.Values.AsSpan((int)(start * size), (int)(count * size)).ToArray();
        return tensor(values, [count, sample[0], sample[1], sample[2]]);
    }

    private static Tensor SliceLabels(LabelArray array, int start, int count) =>
        tensor(array.Values.AsSpan(start, count).ToArray(), [count]);
}
