using RandomFit.Training;
using RandomFit.Web;
using RandomFit.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRandomFitTraining();
builder.Services.AddRandomFitWeb();
builder.Services.AddRandomFitPages();

var app = builder.Build();
await app.UseRandomFitWebAsync();
app.MapRandomFitPages();
app.Run();

/// <summary>The entry point, public so that integration tests can host the app.</summary>
public partial class Program;
