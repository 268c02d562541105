using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class EpochShuffleTests
{
    [Fact]
    public void Gather_MatchesIndexSelect()
    {
        // Rows of 2x3 floats and one int64 label each, in an order that repeats row 4 and leaves out row 2.
        using var inputs = arange(30, ScalarType.Float32).reshape(5, 2, 3);
        using var labels = arange(5, ScalarType.Int64).mul_(7);
        using var order = tensor(new long[] { 4, 0, 3, 4, 1 });
        using var shuffle = new EpochShuffle();

        var (gatheredInputs, gatheredLabels) = shuffle.Gather(inputs, labels, order);

        using var expectedInputs = inputs.index_select(0, order);
        using var expectedLabels = labels.index_select(0, order);
        Assert.Equal(new long[] { 5, 2, 3 }, gatheredInputs.shape);
        Assert.Equal(expectedInputs.data<float>().ToArray(), gatheredInputs.data<float>().ToArray());
        Assert.Equal(expectedLabels.data<long>().ToArray(), gatheredLabels.data<long>().ToArray());
    }

    [Fact]
    public void Gather_ReusesItsTensorsEveryEpoch()
    {
        using var inputs = arange(12, ScalarType.Float32).reshape(4, 3);
        using var labels = tensor(new long[] { 10, 11, 12, 13 });
        using var firstOrder = tensor(new long[] { 3, 2, 1, 0 });
        using var secondOrder = tensor(new long[] { 1, 3, 0, 2 });
        using var shuffle = new EpochShuffle();

        var (firstInputs, firstLabels) = shuffle.Gather(inputs, labels, firstOrder);
        var firstInputsAddress = CpuFloats.DataOf(firstInputs);
        var firstLabelsAddress = CpuFloats.DataOf(firstLabels);
        var (secondInputs, secondLabels) = shuffle.Gather(inputs, labels, secondOrder);

        Assert.Equal(firstInputsAddress, CpuFloats.DataOf(secondInputs));
        Assert.Equal(firstLabelsAddress, CpuFloats.DataOf(secondLabels));
        Assert.Equal(new float[] { 3, 4, 5, 9, 10, 11, 0, 1, 2, 6, 7, 8 }, secondInputs.data<float>().ToArray());
        Assert.Equal(new long[] { 11, 13, 10, 12 }, secondLabels.data<long>().ToArray());
    }

    [Fact]
    public void Gather_OutlivesTheCallersDisposeScope()
    {
        using var inputs = arange(6, ScalarType.Float32).reshape(3, 2);
        using var labels = tensor(new long[] { 0, 1, 2 });
        using var order = tensor(new long[] { 2, 0, 1 });
        using var shuffle = new EpochShuffle();

        Tensor gathered;
        using (NewDisposeScope())
        {
            gathered = shuffle.Gather(inputs, labels, order).Inputs;
        }

        Assert.False(gathered.IsInvalid);
        Assert.Equal(new float[] { 4, 5, 0, 1, 2, 3 }, gathered.data<float>().ToArray());
    }

    [Fact]
    public void Gather_NonContiguousInputs_MatchesIndexSelect()
    {
        // A transposed view cannot be copied row by row, so libtorch gathers it.
        using var stored = arange(12, ScalarType.Float32).reshape(3, 4);
        using var inputs = stored.t();
        using var labels = tensor(new long[] { 5, 6, 7, 8 });
        using var order = tensor(new long[] { 2, 3, 0, 1 });
        using var shuffle = new EpochShuffle();

        var (gatheredInputs, gatheredLabels) = shuffle.Gather(inputs, labels, order);

        using var expectedInputs = inputs.index_select(0, order);
        Assert.Equal(expectedInputs.data<float>().ToArray(), gatheredInputs.data<float>().ToArray());
        Assert.Equal(new long[] { 7, 8, 5, 6 }, gatheredLabels.data<long>().ToArray());
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(3L)]
    public void Gather_IndexOutsideRows_Throws(long index)
    {
        using var inputs = zeros(3, 2);
        using var labels = zeros(3, ScalarType.Int64);
        using var order = tensor(new long[] { 0, index, 1 });
        using var shuffle = new EpochShuffle();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => shuffle.Gather(inputs, labels, order));

        Assert.StartsWith($"Row index {index} at position 1 is outside the 3 rows of the split.", error.Message);
        Assert.Equal("order", error.ParamName);
    }
}
