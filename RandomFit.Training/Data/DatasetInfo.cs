using RandomFit.Training.Specs;

namespace RandomFit.Training.Data;

/// <summary>What validation needs to know about an uploaded dataset, without its arrays.</summary>
/// <param name="Id">The id <c>POST /api/datasets</c> returned.</param>
/// <param name="InputShape">The shape of <c>x</c> as uploaded, samples first: [N, C, H, W], [N, H, W] or [N, F].</param>
/// <param name="TestSamples">Samples in <c>x_test</c>; 0 without a test split in the file.</param>
/// <param name="Classes">The largest label plus one, and at least 2.</param>
public sealed record DatasetInfo(string Id, IReadOnlyList<long> InputShape, int TestSamples, int Classes)
{
    /// <summary>Samples in <c>x</c>.</summary>
    public int Samples => (int)InputShape[0];

    /// <summary>
    /// The shape of one sample, channels first: [N, H, W] arrays have one channel and [N, F] arrays are one channel of
    /// height 1.
    /// </summary>
    public ShapeSpec SampleShape => InputShape.Count switch
    {
        4 => new ShapeSpec { Channels = (int)InputShape[1], Height = (int)InputShape[2], Width = (int)InputShape[3] },
        3 => new ShapeSpec { Channels = 1, Height = (int)InputShape[1], Width = (int)InputShape[2] },
        _ => new ShapeSpec { Channels = 1, Height = 1, Width = (int)InputShape[1] },
    };
}
