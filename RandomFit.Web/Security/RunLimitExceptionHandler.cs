using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace RandomFit.Web.Security;

/// <summary>
/// Turns <see cref="RunLimitExceededException"/> from any endpoint into 429 problem+json with Retry-After, or into a
/// 400 validation problem when the request alone exceeds the limit, because retrying it can never succeed.
/// </summary>
public sealed class RunLimitExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
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

        if (limit.NeverFits)
        {
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["$"] = [limit.Message] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request is invalid.",
                },
            });
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(limit.RetryAfter.TotalSeconds));
        httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
                Title = Title,
                Detail = limit.Message,
            },
        });
    }
}
