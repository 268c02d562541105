using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class FileDataTests
{
    // Sample i is filled with the value i, so a split's first pixel names the sample it came from.
    private static readonly ArrayData Arrays = NpzReader.Read(
        new MemoryStream(Npz(
            ("x", Npy(Enumerable.Range(0, 40).SelectMany(i => Enumerable.Repeat((float)i, 4)).ToArray(), 40, 1, 2, 2)),
            ("y", Npy(Enumerable.Range(0, 40).Select(i => (long)(i % 3)).ToArray())))),
        "data.npz",
        1 << 20);

    private static readonly DataSpec Data = new()
    {
        Shape = new ShapeSpec { Channels = 1, Height = 2, Width = 2 },
        TrainSamples = 30,
        TestSamples = 10,
        Classes = 3,
        Inputs = InputKind.File,
        Labels = LabelKind.True,
        File = "ds1",
    };

    private static float[] FirstPixels(TorchSharp.torch.Tensor inputs) =>
        inputs[.., 0, 0, 0].data<float>().ToArray();

    [Fact]
    public void Build_NoTestArrays_SplitsInOrder()
    {
        using var dataset = FileData.Build(Arrays, Data, dataSeed: 0);

        Assert.Equal(Enumerable.Range(0, 30).Select(i => (float)i), FirstPixels(dataset.TrainInputs));
        Assert.Equal(Enumerable.Range(30, 10).Select(i => (float)i), FirstPixels(dataset.TestInputs!));
        Assert.Equal(Enumerable.Range(30, 10).Select(i => (long)(i % 3)), dataset.TestLabels!.data<long>().ToArray());
    }

    [Fact]
    public void Build_RandomLabels_RedrawnFromDataSeed()
    {
        var random = Data with { Labels = LabelKind.Random };

        using var first = FileData.Build(Arrays, random, dataSeed: 5);
        using var again = FileData.Build(Arrays, random, dataSeed: 5);
        using var other = FileData.Build(Arrays, random, dataSeed: 6);

        var labels = first.TrainLabels.data<long>().ToArray();
        Assert.Equal(labels, again.TrainLabels.data<long>().ToArray());
        Assert.NotEqual(labels, other.TrainLabels.data<long>().ToArray());
        Assert.NotEqual(Arrays.Labels.Values.Take(30), labels);
    }

    [Fact]
    public void Build_Standardize_CentersTrainingInputs()
    {
        using var dataset = FileData.Build(Arrays, Data with { Standardize = true }, dataSeed: 0);

        Assert.Equal(0.0, dataset.TrainInputs.mean().item<float>(), precision: 5);
        Assert.Equal(1.0, dataset.TrainInputs.std(unbiased: false).item<float>(), precision: 5);
    }
}
