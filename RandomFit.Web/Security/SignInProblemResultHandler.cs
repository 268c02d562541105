using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace RandomFit.Web.Security;

/// <summary>
/// Writes 401 problem+json for a failed run-starter check. The default handler would challenge the cookie
/// scheme, which redirects an API client to the login page instead of telling it what to send.
/// </summary>
public sealed class SignInProblemResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(
        RequestDelegate next,
        HttpContext context,
        AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        var isRunStarterCheck = policy.Requirements.OfType<RunStarterRequirement>().Any();
        if (!isRunStarterCheck || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = RunStarterPolicy.ProblemTitle,
                Detail = RunStarterPolicy.ProblemDetail,
            },
        });
    }
}
