using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Data;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web;

/// <summary>Registration and mapping of the web app's back end: persistence, scheduler, API and hub.</summary>
public static partial class WebServiceCollectionExtensions
{
    public static IServiceCollection AddRandomFitWeb(this IServiceCollection services)
    {
        // Options
        services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.Section)
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
        // Resolved when first used, so that settings added after registration (test hosts) still apply.
        services.AddDbContextFactory<RandomFitDbContext>((provider, options) => options.UseSqlite(
            DatabaseConnection.Resolve(
                provider.GetRequiredService<IConfiguration>(),
                provider.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<IDatasetStore>(provider => provider.GetRequiredService<DatasetStore>());

        // Runs and their events
        services.AddSingleton<IRunEventsFeed, RunEventsFeed>();
        services.AddSingleton<RunScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<RunScheduler>());
        services.AddSingleton<ExperimentService>();
        services.AddSingleton<IExperimentService>(provider => provider.GetRequiredService<ExperimentService>());
        services.AddSingleton<IRunAdditions>(provider => provider.GetRequiredService<ExperimentService>());
        services.AddSingleton<ExperimentResults>();
        services.AddSingleton<IRunService, RunService>();
        services.AddSingleton<ClaimsService>();

        // HTTP API and hub: the contract's JSON on both
        services.ConfigureHttpJsonOptions(options => SpecJson.Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSignalR().AddJsonProtocol(options => SpecJson.Configure(options.PayloadSerializerOptions));
        services.AddSingleton<RunWatchers>();

        // Accounts, who may start runs, the run limit
        services.AddRandomFitSecurity();
        return services;
    }

    /// <summary>Prepares the database, then maps the API, the hub and the health check.</summary>
    public static async Task<WebApplication> UseRandomFitWebAsync(this WebApplication app)
    {
        await app.PrepareRandomFitDatabaseAsync();
        await app.PrepareAccountsDatabaseAsync();
        LogStartup(app);

        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRunStarterAuthorization();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapExperimentsApi();
        app.MapRunsApi();
        app.MapPresetsApi();
        app.MapClaimsApi();
        app.MapDatasetsApi();
        app.MapAccountEndpoints();
        app.MapHub<RunsHub>(RunsHubContract.Path);
        return app;
    }

    private static void LogStartup(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RandomFit.Web");
        LogDevice(logger, app.Services.GetRequiredService<DeviceSelector>().Name);
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", app.Urls)));
    }

    [LoggerMessage(LogLevel.Information, "Training device {Device}")]
    private static partial void LogDevice(ILogger logger, string device);

    [LoggerMessage(LogLevel.Information, "Listening on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);
}
