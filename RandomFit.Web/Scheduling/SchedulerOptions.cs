using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Scheduling;

/// <summary>Settings of the run scheduler, bound from <c>RandomFit:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "RandomFit:Scheduler";

    /// <summary>Runs trained at once; null picks 1 on CPU and 4 on CUDA.</summary>
    [Range(1, 1024)] public int? Concurrency { get; set; }
}
