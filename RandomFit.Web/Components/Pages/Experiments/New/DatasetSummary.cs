using RandomFit.Web.Apis;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Descriptions of uploaded datasets for the dataset picker and the list of uploads.</summary>
public static class DatasetSummary
{
    /// <summary>Returns the name, samples, sample shape and classes, such as "digits.npz (6 x 1x5x4, 3 classes)".</summary>
    public static string Describe(DatasetItem dataset)
    {
        var shape = dataset.Shape;
        return $"{dataset.Name} ({dataset.Samples} x {shape.Channels}x{shape.Height}x{shape.Width}, {dataset.Classes} classes)";
    }
}
