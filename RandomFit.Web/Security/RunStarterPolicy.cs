using Microsoft.AspNetCore.Authorization;

namespace RandomFit.Web.Security;

/// <summary>
/// The authorization policy on every endpoint that starts, cancels, deletes, reruns or resumes runs. It passes
/// anyone while sign-in is not required, and only signed-in users (cookie or bearer token) while it is.
/// </summary>
public static class RunStarterPolicy
{
    public const string Name = "RunStarter";

    public const string ProblemTitle = "Sign-in required.";

    public const string ProblemDetail = "Sign in or send a bearer token to start, cancel or delete runs.";

    /// <summary>Puts the endpoint behind the run-starter policy.</summary>
    public static TBuilder RequireRunStarter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name);

    internal static void Add(AuthorizationOptions options) =>
        options.AddPolicy(Name, policy => policy
            .AddAuthenticationSchemes(AuthSchemes.Cookie, AuthSchemes.Bearer)
            .AddRequirements(new RunStarterRequirement()));
}

/// <summary>Satisfied by a signed-in user, or by anyone while sign-in is not required.</summary>
public sealed class RunStarterRequirement : IAuthorizationRequirement;

/// <summary>Evaluates <see cref="RunStarterRequirement"/> against the start-up sign-in decision.</summary>
public sealed class RunStarterHandler(SignInRequirement signIn) : AuthorizationHandler<RunStarterRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RunStarterRequirement requirement)
    {
        if (!signIn.Required || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
