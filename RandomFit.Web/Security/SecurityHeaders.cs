using System.Security.Cryptography;

namespace RandomFit.Web.Security;

/// <summary>
/// Adds the security headers to every response. The Content-Security-Policy allows what Blazor Server,
/// MudBlazor and Plotly need. Scripts come from this site, plus the inline import map with a per-request nonce.
/// Inline styles are allowed because MudBlazor's theme and Plotly's charts set them at run time. Images may be
/// data: and blob: URLs for Plotly's PNG download, and connections go to this origin, SignalR's WebSocket included.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "RandomFit.CspNonce";

    /// <summary>Returns the current request's script nonce, for the page's import map.</summary>
    public static string? NonceOf(HttpContext? context) => context?.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Hex, so the nonce reads the same in the header and in the HTML, where Razor encodes base64's "+".
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;

            // Set when the response starts, because the exception handler clears headers set earlier.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                return Task.CompletedTask;
            });
            return next(context);
        });

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; "
        + $"script-src 'self' 'nonce-{nonce}'; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; "
        + "font-src 'self' data:; "
        + "connect-src 'self'; "
        + "object-src 'none'; "
        + "base-uri 'self'; "
        + "form-action 'self'; "
        + "frame-ancestors 'none'";
}
