using RandomFit.Training;
using RandomFit.Web;
using RandomFit.Web.Components;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` serves package assets (MudBlazor, Plotly) from the build output's manifest in every environment.
// A published app has no manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddRandomFitTraining();
builder.Services.AddRandomFitWeb();
builder.Services.AddRandomFitPages();

var app = builder.Build();
await app.UseRandomFitWebAsync();
app.MapRandomFitPages();
app.Run();

/// <summary>The entry point, public so that integration tests can host the app.</summary>
public partial class Program;
