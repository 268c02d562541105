using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Scheduling;

/// <summary>Settings of run checkpoints, bound from <c>RandomFit:Checkpoints</c>.</summary>
public sealed class CheckpointOptions
{
    public const string Section = "RandomFit:Checkpoints";

    /// <summary>A run writes a checkpoint after every epoch that is a multiple of this number, except its last.</summary>
    [Range(1, int.MaxValue)] public int EveryEpochs { get; set; } = 10;

    /// <summary>
    /// The folder of checkpoint files, relative to the content root. Null puts them in a <c>checkpoints</c> folder
    /// beside the SQLite database file, or in <c>data/checkpoints</c> when the database is not a local file.
    /// </summary>
    public string? Folder { get; set; }
}
