using Microsoft.AspNetCore.Authentication;
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

        // A failed check that comes with no signed-in user carries no failure reasons, so the bearer result is read
        // again here, from the request's cache.
        var invalidToken = (await context.AuthenticateAsync(AuthSchemes.Bearer)).Failure;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;

        // RFC 6750, section 3.1: the response to a rejected token carries the invalid_token error code.
        context.Response.Headers.WWWAuthenticate = invalidToken is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = invalidToken is null ? RunStarterPolicy.ProblemTitle : RunStarterPolicy.InvalidTokenTitle,
                Detail = invalidToken is null
                    ? RunStarterPolicy.ProblemDetail
                    : $"{invalidToken.Message} {RunStarterPolicy.InvalidTokenFix}",
            },
        });
    }
}
