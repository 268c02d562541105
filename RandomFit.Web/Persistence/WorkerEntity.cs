namespace RandomFit.Web.Persistence;

/// <summary>A node that trains runs, with the figures it last reported.</summary>
public sealed class WorkerEntity
{
    public const int IdLength = 200;

    /// <summary><c>RandomFit:Worker:Name</c>, else the host name and process id.</summary>
    public required string Id { get; set; }

    /// <summary>The training device the worker resolved: <c>cpu</c> or <c>cuda</c>.</summary>
    public required string Device { get; set; }

    /// <summary>Runs the worker trains at once.</summary>
    public int Capacity { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Renewed every heartbeat interval while the worker runs; other nodes judge it stopped by this.</summary>
    public DateTimeOffset LastHeartbeatAt { get; set; }
}
