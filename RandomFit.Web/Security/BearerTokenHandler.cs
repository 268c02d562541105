using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace RandomFit.Web.Security;

/// <summary>Authenticates <c>Authorization: Bearer TOKEN</c> against the stored token hashes.</summary>
public sealed partial class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountsDbContext db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>
    /// The log category of rejected tokens, one line per request. ASP.NET logs a failed scheme under the handler's
    /// category at each authentication of the request (three times for one API call). So appsettings.json sets that
    /// category to Warning.
    /// </summary>
    public const string RejectionCategory = "RandomFit.Web.Security.BearerTokens";

    private const string BearerScheme = "Bearer";

    private readonly ILogger _rejections = logger.CreateLogger(RejectionCategory);

    private const string EmptyToken = "The bearer token is empty.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        var bearerHeaders = headers.Count(value => value is not null && IsBearer(value.Trim()));
        if (bearerHeaders == 0)
        {
            return AuthenticateResult.NoResult();
        }

        // With two Authorization headers the server would have to guess which one counts, so a bearer token sent
        // beside another header fails instead of passing as no token at all.
        if (headers.Count > 1)
        {
            return Reject($"The request has {headers.Count} Authorization headers; send one.");
        }

        // Kestrel trims spaces around header values, so "Bearer $TOKEN" with an unset variable arrives as
        // "Bearer" and must fail like an empty token instead of passing as no header at all.
        var token = headers[0]!.Trim()[BearerScheme.Length..].Trim();
        if (token.Length == 0)
        {
            return Reject(EmptyToken);
        }

        var hash = ApiTokens.Hash(token);
        var user = await (
                from apiToken in db.ApiTokens
                join account in db.Users on apiToken.UserId equals account.Id
                where apiToken.Hash == hash
                select new { account.Id, account.UserName })
            .AsNoTracking()
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (user is null)
        {
            return Reject("The bearer token is unknown.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName ?? user.Id)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    // Runs once per request, because the base class reuses the result for the request's later authentications.
    private AuthenticateResult Reject(string reason)
    {
        LogRejected(_rejections, Request.Method, Request.Path, reason);
        return AuthenticateResult.Fail(reason);
    }

    [LoggerMessage(LogLevel.Information, "Bearer token rejected on {Method} {Path}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string path, string reason);

    // The scheme name alone or followed by any white space (a tab as well as a space), in any letter case.
    private static bool IsBearer(string value) =>
        value.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
        && (value.Length == BearerScheme.Length || char.IsWhiteSpace(value[BearerScheme.Length]));
}

/// <summary>Names of the two ways a request can authenticate.</summary>
public static class AuthSchemes
{
    public const string Cookie = "Identity.Application";

    public const string Bearer = "Bearer";
}
