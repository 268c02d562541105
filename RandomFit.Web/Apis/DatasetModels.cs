using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>An uploaded dataset as <c>POST /api/datasets</c> and <c>GET /api/datasets</c> return it.</summary>
/// <param name="Samples">Samples in <c>x</c>.</param>
/// <param name="TestSamples">Samples in <c>x_test</c>; 0 when the upload has none.</param>
/// <param name="Shape">One sample, channels first: the shape a spec that uses the dataset declares.</param>
/// <param name="InputShape">The shape of <c>x</c> as uploaded, samples first.</param>
/// <param name="Classes">The largest label plus one, and at least 2.</param>
public sealed record DatasetItem(
    string Id,
    string Name,
    int Samples,
    int TestSamples,
    ShapeSpec Shape,
    IReadOnlyList<long> InputShape,
    int Classes,
    long SizeBytes,
    DateTimeOffset CreatedAt);
