using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace RandomFit.Web.Security;

/// <summary>Authenticates <c>Authorization: Bearer TOKEN</c> against the stored token hashes.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountsDbContext db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    private const string EmptyToken = "The bearer token is empty.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null)
        {
            return AuthenticateResult.NoResult();
        }

        // Kestrel trims spaces around header values, so "Bearer $TOKEN" with an unset variable arrives as
        // "Bearer" and must fail like an empty token instead of passing as no header at all.
        var trimmed = header.Trim();
        if (trimmed.Equals(BearerPrefix.TrimEnd(), StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail(EmptyToken);
        }

        if (!trimmed.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = trimmed[BearerPrefix.Length..].Trim();
        if (token.Length == 0)
        {
            return AuthenticateResult.Fail(EmptyToken);
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
            return AuthenticateResult.Fail("The bearer token is unknown.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName ?? user.Id)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>Names of the two ways a request can authenticate.</summary>
public static class AuthSchemes
{
    public const string Cookie = "Identity.Application";

    public const string Bearer = "Bearer";
}
