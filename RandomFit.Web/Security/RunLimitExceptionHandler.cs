using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace RandomFit.Web.Security;

/// <summary>Turns <see cref="RunLimitExceededException"/> from any endpoint into 429 problem+json with Retry-After.</summary>
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
                Title = Title,
                Detail = limit.Message,
            },
        });
    }
}
