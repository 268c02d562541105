using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Apis;

/// <summary>The dataset upload part of <c>RandomFit:Limits</c>.</summary>
public sealed class DatasetLimitsOptions
{
    public const string Section = "RandomFit:Limits";

    /// <summary>
    /// Maximum bytes of a dataset upload, all files together; each array of a compressed <c>.npz</c> and each
    /// gzip-compressed IDX file must also fit it once expanded. At most 2,000,000,000, because the files are held
    /// in .NET byte arrays.
    /// </summary>
    [Range(1d, 2_000_000_000d)] public long MaxDatasetBytes { get; set; } = 256L * 1024 * 1024;
}
