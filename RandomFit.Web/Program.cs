using RandomFit.Training;
using RandomFit.Web;
using RandomFit.Web.Components;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;
using RandomFit.Web.Security;

if (CommandLineHelp.IsRequested(args))
{
    await Console.Out.WriteAsync(CommandLineHelp.Text);
    return 0;
}

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` serves package assets (MudBlazor, Plotly) from the build output's manifest in every environment.
// A published app has no manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();

// With that manifest, MapStaticAssets also maps a GET and HEAD catch-all for files added to wwwroot after the build.
// Routing matches its pattern before checking that the file exists, so a POST to any unknown path returned 405
// "accepts GET, HEAD" in place of 404. Every file this app serves is in the manifest, so the catch-all is left out.
builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";

// The account commands print to standard output (a token, once), so their logs go to standard error.
var isAccountCommand = AccountCommands.IsCommand(args);
if (isAccountCommand)
{
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

// A worker trains only, so it registers neither pages nor API; every role serves /healthz.
NodeRole role;
try
{
    role = NodeRoles.Read(builder.Configuration);
}
catch (InvalidSettingException invalid)
{
    // The app's logging is not built yet, so the reason goes through a console logger of its own.
    using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
    LogNotStarted(loggers.CreateLogger("RandomFit.Web"), invalid.Message);
    return 1;
}

builder.Services.AddRandomFitTraining();
builder.Services.AddRandomFitWeb(role);
if (role.ServesPages())
{
    builder.Services.AddRandomFitPages();
}

var app = builder.Build();
if (isAccountCommand)
{
    return await AccountCommands.RunAsync(app.Services, args, Console.In, Console.Out, Console.Error);
}

try
{
    await app.UseRandomFitWebAsync(role);
}
catch (Exception exception) when (StartupFailure.Describe(exception) is { } reason)
{
    // A setting or the database is wrong before anything started, so the message is all the operator needs.
    LogNotStarted(app.Logger, reason);
    return 1;
}

if (role.ServesPages())
{
    app.MapRandomFitPages();
}

try
{
    app.Run();
}
catch (Exception exception) when (exception is IOException or FormatException)
{
    // Kestrel could not listen: the port is in use, or --urls contains something that is not a URL.
    LogNotStarted(app.Logger, $"the server could not listen: {exception.Message}");
    return 1;
}

return 0;

static void LogNotStarted(ILogger logger, string reason) =>
    logger.LogCritical("RandomFit did not start: {Reason}", reason);

/// <summary>The entry point, public so that integration tests can host the app.</summary>
public partial class Program;
