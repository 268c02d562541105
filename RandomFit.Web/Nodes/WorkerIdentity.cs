using Microsoft.Extensions.Options;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Nodes;

/// <summary>This process's worker id: the configured name, else the host name and process id.</summary>
public sealed class WorkerIdentity(IOptions<WorkerOptions> options)
{
    public string Id { get; } = Truncate(
        string.IsNullOrWhiteSpace(options.Value.Name)
            ? $"{Environment.MachineName}-{Environment.ProcessId}"
            : options.Value.Name.Trim());

    private static string Truncate(string id) => id.Length <= WorkerEntity.IdLength ? id : id[..WorkerEntity.IdLength];
}
