namespace RandomFit.Web.Persistence;

/// <summary>
/// An uploaded dataset: the files as uploaded, and what validation needs without parsing them again. The bytes live
/// in the database so that every node of a deployment can train on them.
/// </summary>
public sealed class DatasetEntity
{
    public required string Id { get; set; }

    /// <summary>The uploaded <c>.npz</c> or IDX images file name.</summary>
    public required string Name { get; set; }

    /// <summary>The IDX labels file name; null for <c>.npz</c>.</summary>
    public string? LabelsName { get; set; }

    /// <summary><see cref="DatasetFormats.Npz"/> or <see cref="DatasetFormats.Idx"/>.</summary>
    public required string Format { get; set; }

    /// <summary>The shape of <c>x</c>, samples first, as comma-separated integers.</summary>
    public required string InputShape { get; set; }

    public int TestSamples { get; set; }
    public int Classes { get; set; }
    public long SizeBytes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The <c>.npz</c> file, or the IDX images file.</summary>
    public required byte[] Content { get; set; }

    /// <summary>The IDX labels file; null for <c>.npz</c>.</summary>
    public byte[]? Labels { get; set; }
}

/// <summary>The stored names of the upload formats.</summary>
public static class DatasetFormats
{
    public const string Npz = "npz";
    public const string Idx = "idx";
}
