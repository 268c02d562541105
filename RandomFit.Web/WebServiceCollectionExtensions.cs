using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Data;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web;

/// <summary>Registration and mapping of the web app's back end: persistence, scheduler, API and hub.</summary>
public static partial class WebServiceCollectionExtensions
{
    public static IServiceCollection AddRandomFitWeb(this IServiceCollection services) =>
        services.AddRandomFitWeb(NodeRole.All);

    /// <summary>Adds the back end for a node of the given role; only training roles start the scheduler.</summary>
    public static IServiceCollection AddRandomFitWeb(this IServiceCollection services, NodeRole role)
    {
        // Options
        services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<CheckpointOptions>()
            .BindConfiguration(CheckpointOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DatasetLimitsOptions>()
            .BindConfiguration(DatasetLimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Persistence
        services.AddSingleton<IDbContextFactory<RandomFitDbContext>, RandomFitDbContextFactory>();
        services.AddSingleton<DatabaseFileLock>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<IDatasetStore>(provider => provider.GetRequiredService<DatasetStore>());
        services.AddSingleton<IDatasetCatalog>(provider => provider.GetRequiredService<DatasetStore>());

        // Runs and their events. The services cancel and wake runs through the scheduler on every role. On the
        // web role the scheduler trains nothing, so those calls find no local run.
        services.AddSingleton<IRunEventsFeed, RunEventsFeed>();
        services.AddRandomFitNodes(role);
        services.AddSingleton<RunQueue>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<RunScheduler>();
        if (role.Trains())
        {
            services.AddHostedService(provider => provider.GetRequiredService<RunScheduler>());
        }

        services.AddSingleton<ExperimentService>();
        services.AddSingleton<IExperimentService>(provider => provider.GetRequiredService<ExperimentService>());
        services.AddSingleton<IRunAdditions>(provider => provider.GetRequiredService<ExperimentService>());
        services.AddSingleton<ExperimentResults>();
        services.AddSingleton<IRunService, RunService>();
        services.AddSingleton<ClaimsService>();

        // HTTP API and hub: the contract's JSON on both
        services.ConfigureHttpJsonOptions(options => SpecJson.Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(options => options.DescribeNullAsDefault());
        services.AddSignalR(options => options.AddFilter<HubCallLogging>())
            .AddJsonProtocol(options => SpecJson.Configure(options.PayloadSerializerOptions));
        services.AddLogging(logging => logging.AddFilter(HubCallLogging.DispatcherCategory, LogLevel.Critical));
        services.AddSingleton<RunWatchers>();

        // Accounts, who may start runs, the run limit
        services.AddRandomFitSecurity();
        return services;
    }

    /// <summary>Prepares the database, then maps the API, the hub and the health check.</summary>
    public static Task<WebApplication> UseRandomFitWebAsync(this WebApplication app) =>
        app.UseRandomFitWebAsync(NodeRole.All);

    /// <summary>Prepares the database and maps the health check; all but the worker role also map API and hub.</summary>
    public static async Task<WebApplication> UseRandomFitWebAsync(this WebApplication app, NodeRole role)
    {
        // Settings are checked before the database is touched, so a node started with an invalid setting fails
        // without marking anything interrupted.
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.PrepareRandomFitDatabaseAsync();
        await app.PrepareAccountsDatabaseAsync();
        LogStartup(app, role);

        app.UseHeadAsGet();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.UseJsonCharsetCheck();
        app.UseRunStarterAuthorization();
        // Health checks map every method by default; the check only reads, so other methods get 405 like the API.
        app.MapHealthChecks("/healthz").WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        if (!role.ServesPages())
        {
            return app;
        }

        app.MapOpenApi();
        app.MapExperimentsApi();
        app.MapRunsApi();
        app.MapPresetsApi();
        app.MapClaimsApi();
        app.MapDatasetsApi();
        app.MapAccountEndpoints();
        app.MapHub<RunsHub>(RunsHubContract.Path);
        return app;
    }

    private static void LogStartup(WebApplication app, NodeRole role)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RandomFit.Web");
        LogRole(logger, role, app.Services.GetRequiredService<WorkerIdentity>().Id);

        // The device selector logs the training device once, with the requested one, when it is first resolved.
        _ = app.Services.GetRequiredService<DeviceSelector>().Name;
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", app.Urls)));
    }

    [LoggerMessage(LogLevel.Information, "Node role {Role}, worker id {WorkerId}")]
    private static partial void LogRole(ILogger logger, NodeRole role, string workerId);

    // Status codes without a body (415 from content-type matching, 404, 405) get a problem body. A 415 names the
    // header to send, because otherwise a script that left it out gets only the bare code, and a 405 lists the
    // methods the path accepts.
    private static async Task WriteStatusProblemAsync(StatusCodeContext statusContext)
    {
        var http = statusContext.HttpContext;
        if (http.Response.StatusCode == StatusCodes.Status404NotFound && NotFoundPage.Wanted(http.Request))
        {
            await NotFoundPage.WriteAsync(http);
            return;
        }

        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = http.Response.StatusCode };
        if (http.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            var sent = string.IsNullOrEmpty(http.Request.ContentType)
                ? "no Content-Type"
                : $"Content-Type {EchoedText.Quote(http.Request.ContentType)}";
            problem.Title = "Unsupported media type.";
            problem.Detail = $"Send the request body as JSON with the header 'Content-Type: application/json'. The request had {sent}.";
        }
        else if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            http.Response.Headers.Allow = MethodNotAllowedText.WithHead(http.Response.Headers.Allow.ToString());
            problem.Title = "Method not allowed.";
            problem.Detail = MethodNotAllowedText.Describe(
                http.Request.Method,
                http.Request.Path.Value ?? "/",
                http.Response.Headers.Allow.ToString());
        }

        // The problem writer rejects a request whose Accept header excludes JSON (a browser's text/html), which made
        // such a 404 fail with a 500. The problem result falls back to writing the JSON itself.
        await TypedResults.Problem(problem).ExecuteAsync(http);
    }

    [LoggerMessage(LogLevel.Information, "Listening on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);
}
