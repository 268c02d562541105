using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Nodes;

/// <summary>Settings of a training node, bound from <c>RandomFit:Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "RandomFit:Worker";

    /// <summary>The worker's id in the <c>workers</c> table; null uses the host name and process id.</summary>
    [MaxLength(200)] public string? Name { get; set; }

    /// <summary>Seconds between heartbeats, which also paces the check for stopped workers.</summary>
    [Range(0.1, 3600)] public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Seconds without a heartbeat after which a worker's running runs become interrupted.</summary>
    [Range(0.5, 86400)] public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds between looks at a shared queue, where runs are added by other nodes.</summary>
    [Range(0.1, 3600)] public double PollSeconds { get; set; } = 1;
}
