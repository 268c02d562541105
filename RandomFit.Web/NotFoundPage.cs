using System.Text.Encodings.Web;

namespace RandomFit.Web;

/// <summary>
/// A plain HTML page for a browser request to a path that no page or endpoint serves. Scripts and API clients keep
/// the problem+json response, so only page-like requests (GET, accepting HTML, outside the API) get it. HEAD
/// requests arrive here as GET (<see cref="HeadRequests"/>).
/// </summary>
public static class NotFoundPage
{
    private static readonly string[] MachinePrefixes = ["/api", "/hubs", "/_blazor", "/_framework", "/_content", "/openapi", "/healthz"];

    /// <summary>Returns whether the request comes from a browser requesting a page.</summary>
    public static bool Wanted(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        && !MachinePrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Writes the page; the status code is already 404.</summary>
    public static Task WriteAsync(HttpContext http)
    {
        var path = HtmlEncoder.Default.Encode(http.Request.Path.Value ?? "/");
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page not found · RandomFit</title></head>"
            + $"<body><h1>Page not found</h1><p>RandomFit has no page at {path}.</p>"
            + "<p><a href=\"/\">Home</a> · <a href=\"/experiments\">Experiments</a> · <a href=\"/runs\">Runs</a></p>"
            + "</body></html>\n");
    }
}
