using RandomFit.Training.Specs;

namespace RandomFit.Training.Models;

/// <summary>Builds CNNs and MLPs from specs.</summary>
public static class ModelBuilder
{
    /// <summary>Counts the trainable parameters of a model on this data, without allocating tensors.</summary>
    public static long CountParameters(ModelSpec model, DataSpec data) => throw new NotImplementedException();
}
