using RandomFit.Training;
using RandomFit.Web;
using RandomFit.Web.Components;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;
using RandomFit.Web.Security;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` serves package assets (MudBlazor, Plotly) from the build output's manifest in every environment.
// A published app has no manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();

// The account commands print to standard output (a token, once), so their logs go to standard error.
var isAccountCommand = AccountCommands.IsCommand(args);
if (isAccountCommand)
{
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

// A worker trains only, so it registers neither pages nor API; every role serves /healthz.
var role = NodeRoles.Read(builder.Configuration);
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
    app.Logger.LogCritical("RandomFit did not start: {Reason}", reason);
    return 1;
}

if (role.ServesPages())
{
    app.MapRandomFitPages();
}

app.Run();
return 0;

/// <summary>The entry point, public so that integration tests can host the app.</summary>
public partial class Program;
