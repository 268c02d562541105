using RandomFit.Training.Specs;
using static TorchSharp.torch;

namespace RandomFit.Training.Data;

/// <summary>The data spec's pixel transforms and per-channel standardization, applied after generation.</summary>
internal static class PixelTransforms
{
    /// <summary>
    /// Applies <see cref="DataSpec.Pixels"/> and then <see cref="DataSpec.Standardize"/>, drawing any randomness from
    /// <paramref name="generator"/>. Statistics come from the training split. Returns <paramref name="raw"/> itself
    /// when nothing applies, else a new dataset; the replaced tensors are disposed.
    /// </summary>
    public static Dataset Apply(Dataset raw, DataSpec data, Generator generator)
    {
        if (data.Pixels == PixelTransform.AsIs && !data.Standardize)
        {
            return raw;
        }

        using var scope = NewDisposeScope();
        var train = raw.TrainInputs;
        var test = raw.TestInputs;
        switch (data.Pixels)
        {
            case PixelTransform.Shuffled:
                // One permutation of pixel positions for every image, train and test; a pixel's channels move together.
                var permutation = randperm(train.shape[2] * train.shape[3], generator: generator);
                train = Permute(train, permutation);
                test = test is null ? null : Permute(test, permutation);
                break;
            case PixelTransform.Random:
                train = PermuteEach(train, generator);
                test = test is null ? null : PermuteEach(test, generator);
                break;
            case PixelTransform.Gaussian:
                var (mean, std) = ChannelStatistics(raw.TrainInputs);
                train = randn(train.shape, generator: generator).mul(std).add(mean);
                test = test is null ? null : randn(test.shape, generator: generator).mul(std).add(mean);
                break;
        }

        if (data.Standardize)
        {
            var (mean, std) = ChannelStatistics(train);
            train = train.sub(mean).div(std);
            test = test?.sub(mean).div(std);
        }

        var result = new Dataset(
            train.MoveToOuterDisposeScope(),
            raw.TrainLabels,
            test?.MoveToOuterDisposeScope(),
            raw.TestLabels);
        raw.TrainInputs.Dispose();
        raw.TestInputs?.Dispose();
        return result;
    }

    private static Tensor Permute(Tensor images, Tensor permutation)
    {
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        return images.reshape(n, c, h * w).index_select(2, permutation).reshape(n, c, h, w);
    }

    // A different permutation of pixel positions for each image: argsort of uniform draws is a uniform permutation.
    private static Tensor PermuteEach(Tensor images, Generator generator)
    {
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var order = rand([n, h * w], generator: generator).argsort(dim: 1);
        var index = order.unsqueeze(1).expand(n, c, h * w);
        return images.reshape(n, c, h * w).gather(2, index).reshape(n, c, h, w);
    }

    // Population mean and standard deviation per channel, shaped [1, C, 1, 1]; a constant channel keeps scale 1.
    private static (Tensor Mean, Tensor Std) ChannelStatistics(Tensor images)
    {
        long[] dims = [0, 2, 3];
        var mean = images.mean(dims, keepdim: true);
        var std = images.std(dims, unbiased: false, keepdim: true);
        return (mean, where(std.gt(0), std, ones_like(std)));
    }
}
