using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RandomFit.Web.Nodes;

/// <summary>Registration of what lets several nodes share one database and one stream of run events.</summary>
public static class NodesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the worker identity, the check for stopped workers (every role), the Redis bridge (active only with
    /// <c>ConnectionStrings:Redis</c>) and, on training roles, the heartbeat. Call before the scheduler's hosted
    /// service is added, so the heartbeat stops after the scheduler has committed its runs.
    /// </summary>
    public static IServiceCollection AddRandomFitNodes(this IServiceCollection services, NodeRole role)
    {
        // Options
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Identity and events between nodes
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<WorkerDirectory>();
        services.AddHostedService<RedisRunEventsBridge>();
        services.AddHostedService<StaleRunSweeper>();

        // Training nodes
        if (role.Trains())
        {
            services.AddSingleton<WorkerHeartbeat>();
            services.AddHostedService(provider => provider.GetRequiredService<WorkerHeartbeat>());
        }

        return services;
    }
}
