using RandomFit.Training;
using RandomFit.Web;
using RandomFit.Web.Components;
using RandomFit.Web.Nodes;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` serves package assets (MudBlazor, Plotly) from the build output's manifest in every environment.
// A published app has no manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();

// A worker trains only, so it registers neither pages nor API; every role serves /healthz.
var role = NodeRoles.Read(builder.Configuration);
builder.Services.AddRandomFitTraining();
builder.Services.AddRandomFitWeb(role);
if (role.ServesPages())
{
    builder.Services.AddRandomFitPages();
}

var app = builder.Build();
await app.UseRandomFitWebAsync(role);
if (role.ServesPages())
{
    app.MapRandomFitPages();
}

app.Run();

/// <summary>The entry point, public so that integration tests can host the app.</summary>
public partial class Program;
