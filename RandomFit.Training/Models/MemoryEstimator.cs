using RandomFit.Training.Specs;
using RandomFit.Training.Training;

namespace RandomFit.Training.Models;

/// <summary>Estimates the memory one run needs, for the limit checked before a spec is queued.</summary>
public static class MemoryEstimator
{
    private const long FloatBytes = 4;
    private const long LabelBytes = 8;

    /// <summary>
    /// Estimates the bytes of one run in float32: the whole dataset with its labels, the parameters and their
    /// gradients, the optimizer's state (two moments for Adam, one for SGD with momentum), and the activations of
    /// the larger of one training batch (counted twice, for the backward pass) and one evaluation batch.
    /// It is an estimate: libtorch's workspace and allocator overhead are not counted.
    /// </summary>
    public static long EstimateBytes(ModelSpec model, DataSpec data, TrainingSpec training)
    {
        var shape = data.Shape ?? throw new ArgumentException("The data has no shape.", nameof(data));
        var (channels, height, width) = FeatureMaps.Require(shape);
        long train = data.TrainSamples ?? 0;
        long test = data.TestSamples;
        var sampleSize = (long)channels * height * width;
        var dataBytes = (train + test) * (sampleSize * FloatBytes + LabelBytes);

        var parameters = ModelBuilder.CountParameters(model, data);
        var optimizerMoments = training.Optimizer switch
        {
            OptimizerKind.Adam => 2,
            _ => training.Momentum > 0 ? 1 : 0,
        };
        var parameterBytes = parameters * FloatBytes * (2 + optimizerMoments);

        var trainBatch = Math.Min(training.BatchSize, train);
        var evaluationBatch = Math.Min(EpochLoop.EvaluationBatchSize(training.BatchSize), Math.Max(train, test));
        var activationBytes = ActivationsPerSample(model, data) * FloatBytes * Math.Max(2 * trainBatch, evaluationBatch);

        return dataBytes + parameterBytes + activationBytes;
    }

    // Values each layer outputs for one sample; dropout also keeps its mask.
    private static long ActivationsPerSample(ModelSpec model, DataSpec data)
    {
        var shape = data.Shape!;
        var (channels, height, width) = FeatureMaps.Require(shape);
        long total = (long)channels * height * width;
        var normFactor = model.BatchNorm ? 1 : 0;
        var dropoutFactor = model.Dropout > 0 ? 2 : 0;
        IReadOnlyList<int> widths = model.Hidden ?? [];
        if (model.Kind == ModelKind.Cnn)
        {
            foreach (var block in FeatureMaps.Trace(model, shape))
            {
                var convValues = (long)block.Channels * block.ConvHeight * block.ConvWidth;
                var pooledValues = (long)block.Channels * block.OutputHeight * block.OutputWidth;
                total += convValues * (2 + normFactor) + pooledValues * (1 + dropoutFactor);
            }

            widths = model.Dense ?? [];
        }

        foreach (var layerWidth in widths)
        {
            total += (long)layerWidth * (2 + normFactor + dropoutFactor);
        }

        return total + FeatureMaps.OutputUnits(data.Classes);
    }
}
