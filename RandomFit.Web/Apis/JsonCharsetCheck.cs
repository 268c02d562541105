using Microsoft.Net.Http.Headers;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>
/// Middleware that rejects with 415 a JSON request body declared in a character set other than UTF-8. The API reads
/// every body as UTF-8, so a UTF-16 body would otherwise fail as invalid JSON with a message about stray bytes.
/// </summary>
public static class JsonCharsetCheck
{
    public static IApplicationBuilder UseJsonCharsetCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // Only API requests with a body are read as JSON; some clients send a Content-Type on every request.
            var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
            if (hasBody
                && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && UnsupportedCharset(context.Request.ContentType) is { } charset)
            {
                var problem = TypedResults.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type.",
                    detail: $"Send JSON encoded as UTF-8, with the header 'Content-Type: application/json'. "
                        + $"The request declared charset {EchoedText.Quote(charset)}.");
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    /// <summary>Returns the declared charset of a JSON content type when it is not UTF-8, else null.</summary>
    public static string? UnsupportedCharset(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        var json = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString();
        if (!json || charset.Length == 0)
        {
            return null;
        }

        // ASCII is a subset of UTF-8, so a body declared as ASCII reads the same.
        string[] readable = ["utf-8", "utf8", "us-ascii", "ascii"];
        return readable.Contains(charset, StringComparer.OrdinalIgnoreCase) ? null : charset;
    }
}
