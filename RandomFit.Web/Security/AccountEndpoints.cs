using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Security;

/// <summary>
/// The sign-in and sign-out form posts. Binding a form makes ASP.NET Core check the antiforgery token, which
/// the login page and the sign-out button render.
/// </summary>
public static partial class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("").ExcludeFromDescription();
        account.MapPost(LoginPath, LoginAsync);
        account.MapPost(LogoutPath, LogoutAsync);
        return app;
    }

    /// <summary>A login form post.</summary>
    public sealed record LoginForm(string? UserName, string? Password, string? ReturnUrl);

    public static async Task<IResult> LoginAsync(
        [FromForm] LoginForm form,
        SignInManager<IdentityUser> signIn,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AccountEndpoints));
        var returnUrl = LocalUrlOrHome(form.ReturnUrl);
        if (string.IsNullOrEmpty(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            LogSignInFailed(logger, EchoedText.Quote(form.UserName ?? ""), "user name or password missing");
            return Results.Redirect(LoginPageUrl("missing", returnUrl));
        }

        var result = await signIn.PasswordSignInAsync(form.UserName, form.Password, isPersistent: true, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.LocalRedirect(returnUrl);
        }

        var reason = result.IsLockedOut ? "account locked out" : "invalid user name or password";
        LogSignInFailed(logger, EchoedText.Quote(form.UserName), reason);
        return Results.Redirect(LoginPageUrl(result.IsLockedOut ? "locked" : "invalid", returnUrl));
    }

    // The user name as typed and quoted by EchoedText.Quote, never the password.
    [LoggerMessage(LogLevel.Information, "Sign-in failed for user {UserName}: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string userName, string reason);

    public static async Task<IResult> LogoutAsync(SignInManager<IdentityUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/");
    }

    // Only paths on this site, so a crafted link cannot bounce a signed-in user to another host. Browsers drop tabs
    // and line breaks from a URL ("/\t/host" becomes "//host"), and LocalRedirect throws on any control character,
    // so a URL with one goes home too.
    private static string LocalUrlOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\")
            && !url.Any(char.IsControl)
            ? url
            : "/";

    private static string LoginPageUrl(string error, string returnUrl) =>
        $"{LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}
