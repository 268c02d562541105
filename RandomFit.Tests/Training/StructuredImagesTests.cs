using RandomFit.Training.Data;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>Where the structured control puts its template copies, checked on the noise-free images.</summary>
[Collection(TorchCollection.Name)]
public sealed class StructuredImagesTests
{
    [Fact]
    public void DrawSignal_Copies_NeverOverlap()
    {
        using var generator = new Generator(3, CPU);
        using var images = new StructuredImages(classes: 10, channels: 3, height: 32, width: 32, generator);
        var (signal, classes) = images.DrawSignal(200, generator);
        using (signal)
        using (classes)
        {
            // Template values are about +-1 and never 0, so without overlaps each channel of each image has exactly
            // copies x 25 nonzero pixels, and no pixel exceeds a single template value.
            using var nonzero = signal.ne(0).sum([2, 3]);
            Assert.Equal(10, StructuredImages.CopiesFor(32, 32));
            Assert.Equal(10 * 25, nonzero.min().item<long>());
            Assert.Equal(10 * 25, nonzero.max().item<long>());
            Assert.True(signal.abs().max().item<float>() < 1.05f);
        }
    }

    [Fact]
    public void DrawSignal_PixelMultiset_SameForEveryClass()
    {
        using var generator = new Generator(4, CPU);
        using var images = new StructuredImages(classes: 10, channels: 3, height: 32, width: 32, generator);
        var (signal, classes) = images.DrawSignal(100, generator);
        using (signal)
        using (classes)
        {
            // A random-pixels permutation keeps only an image's multiset of pixels, each pixel with all its channels,
            // so that multiset must not depend on the class. Each pixel is coded by the sign of each channel's value.
            using var scope = NewDisposeScope();
            var codes = zeros([100, 32 * 32], ScalarType.Int64);
            for (var channel = 0; channel < 3; channel++)
            {
                var values = signal.select(1, channel).flatten(1);
                var sign = values.gt(0).to_type(ScalarType.Int64).add(values.ne(0).to_type(ScalarType.Int64));
                codes = codes.mul(3).add(sign);
            }

            var sorted = codes.sort(-1).Values;
            Assert.True(sorted.eq(sorted.narrow(0, 0, 1)).all().item<bool>());
            var counts = classes.bincount(null);
            Assert.Equal(10, counts.shape[0]);
            Assert.True(counts.min().item<long>() > 0);
        }
    }

    [Fact]
    public void DrawSignal_SmallImage_CarriesOneWholeCopy()
    {
        using var generator = new Generator(5, CPU);
        using var images = new StructuredImages(classes: 4, channels: 1, height: 5, width: 5, generator);
        var (signal, classes) = images.DrawSignal(20, generator);
        using (signal)
        using (classes)
        {
            using var nonzero = signal.ne(0).sum([1, 2, 3]);
            Assert.Equal(25, nonzero.min().item<long>());
            Assert.Equal(25, nonzero.max().item<long>());
        }
    }
}
