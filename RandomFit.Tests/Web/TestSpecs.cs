namespace RandomFit.Tests.Web;

/// <summary>Tiny experiment bodies that train in milliseconds an epoch.</summary>
public static class TestSpecs
{
    /// <summary>A POST body with one small MLP on 1x4x4 inputs for the given number of epochs.</summary>
    public static object TinyMlp(int epochs, int[]? seeds = null, int testSamples = 8) => new
    {
        spec = new
        {
            name = "tiny mlp",
            data = new
            {
                shape = new { channels = 1, height = 4, width = 4 },
                trainSamples = 16,
                testSamples,
            },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
            training = new { epochs, batchSize = 8 },
            seeds = seeds ?? [0],
        },
    };
}
