using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace RandomFit.Web.Components;

/// <summary>Registration and mapping of the Blazor pages.</summary>
public static class PagesServiceCollectionExtensions
{
    /// <summary>Adds Razor components, MudBlazor and the pages' state services.</summary>
    public static IServiceCollection AddRandomFitPages(this IServiceCollection services)
    {
        // Components
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(options =>
        {
            // MudBlazor's default corner, top right, covers the pages' action buttons (Cancel, Rerun, Copy link).
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter;
        });

        // Page state
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Maps the Blazor app and its static assets.</summary>
    public static WebApplication MapRandomFitPages(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
