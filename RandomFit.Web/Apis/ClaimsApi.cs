using Microsoft.AspNetCore.Http.HttpResults;
using RandomFit.Web.Services;

namespace RandomFit.Web.Apis;

/// <summary>The <c>/api/claims</c> endpoint.</summary>
public static class ClaimsApi
{
    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/claims", ListAsync)
            .WithTags("Claims")
            .WithSummary("Tests the article's claims on the latest completed runs of their presets.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ClaimItem>>> ListAsync(ClaimsService claims, CancellationToken cancellationToken) =>
        TypedResults.Ok(await claims.EvaluateAsync(cancellationToken));
}
