using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Security;

/// <summary>
/// Turns <see cref="RunLimitExceededException"/> from any endpoint into 429 problem+json with Retry-After, or into a
/// 400 validation problem when the request alone exceeds the limit, because retrying it can never succeed.
/// </summary>
public sealed class RunLimitExceptionHandler : IExceptionHandler
{
    public const string Title = "Too many runs started.";

    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken)
    {
        if (exception is not RunLimitExceededException limit)
        {
            return false;
        }

        // The results write the JSON themselves when the Accept header rules out problem+json.
        if (limit.NeverFits)
        {
            await ApiProblems.Invalid(new Dictionary<string, string[]> { ["$"] = [limit.Message] }).ExecuteAsync(httpContext);
            return true;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(limit.RetryAfter.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
            Title = Title,
            Detail = limit.Message,
        };
        await TypedResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }
}
