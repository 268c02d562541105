namespace RandomFit.Web.Nodes;

/// <summary>What a node does, from <c>RandomFit:Role</c>.</summary>
public enum NodeRole
{
    /// <summary>Pages, API and training in one process.</summary>
    All,

    /// <summary>Pages and API; runs are trained by worker nodes.</summary>
    Web,

    /// <summary>Training only; the only HTTP endpoint is <c>/healthz</c>.</summary>
    Worker,
}

/// <summary>Reads the role setting.</summary>
public static class NodeRoles
{
    public const string Key = "RandomFit:Role";

    /// <summary>Returns the configured role; <see cref="NodeRole.All"/> when the key is unset.</summary>
    /// <exception cref="InvalidSettingException">The value is not <c>all</c>, <c>web</c> or <c>worker</c>.</exception>
    public static NodeRole Read(IConfiguration configuration)
    {
        var value = configuration[Key];
        return value?.ToLowerInvariant() switch
        {
            null or "" or "all" => NodeRole.All,
            "web" => NodeRole.Web,
            "worker" => NodeRole.Worker,
            _ => throw new InvalidSettingException($"{Key} is '{value}', which is invalid; use all, web or worker."),
        };
    }

    public static bool Trains(this NodeRole role) => role != NodeRole.Web;

    public static bool ServesPages(this NodeRole role) => role != NodeRole.Worker;
}
