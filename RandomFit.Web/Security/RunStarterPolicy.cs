using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace RandomFit.Web.Security;

/// <summary>
/// The authorization policy on every endpoint that starts, cancels, deletes, reruns or resumes runs. It passes
/// anyone while sign-in is not required, and only signed-in users (cookie or bearer token) while it is. A request
/// whose bearer token is unknown or empty fails either way, so a mistyped token shows up before sign-in is required.
/// </summary>
public static class RunStarterPolicy
{
    public const string Name = "RunStarter";

    public const string ProblemTitle = "Sign-in required.";

    public const string ProblemDetail = "Sign in or send a bearer token to start, cancel or delete runs.";

    public const string InvalidTokenTitle = "Invalid bearer token.";

    /// <summary>Follows the bearer handler's reason ("The bearer token is unknown.") in the problem's detail.</summary>
    public const string InvalidTokenFix = "Send a token that the create-token command printed, as 'Authorization: Bearer TOKEN'.";

    /// <summary>Puts the endpoint behind the run-starter policy.</summary>
    public static TBuilder RequireRunStarter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name);

    internal static void Add(AuthorizationOptions options) =>
        options.AddPolicy(Name, policy => policy
            .AddAuthenticationSchemes(AuthSchemes.Cookie, AuthSchemes.Bearer)
            .AddRequirements(new RunStarterRequirement()));
}

/// <summary>
/// Satisfied by a signed-in user, or by anyone while sign-in is not required, unless the request presents a bearer
/// token that fails to authenticate.
/// </summary>
public sealed class RunStarterRequirement : IAuthorizationRequirement;

/// <summary>Evaluates <see cref="RunStarterRequirement"/> against the start-up sign-in decision.</summary>
public sealed class RunStarterHandler(SignInRequirement signIn) : AuthorizationHandler<RunStarterRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RunStarterRequirement requirement)
    {
        // The policy has already authenticated the bearer scheme for this request, so this reads the cached result.
        if (context.Resource is HttpContext http
            && (await http.AuthenticateAsync(AuthSchemes.Bearer)).Failure is { } failure)
        {
            context.Fail(new AuthorizationFailureReason(this, failure.Message));
            return;
        }

        if (!signIn.Required || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
    }
}
