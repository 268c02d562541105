using Microsoft.AspNetCore.Http.HttpResults;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>The <c>/api/presets</c> endpoint.</summary>
public static class PresetsApi
{
    public static IEndpointRouteBuilder MapPresetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/presets", List).WithTags("Presets").WithSummary("Lists the presets that ship with the app.");
        return app;
    }

    public static Ok<PresetItem[]> List() =>
        TypedResults.Ok(Presets.All.Select(p => new PresetItem(p.Id, p.Name, p.Description, p.Spec)).ToArray());
}
