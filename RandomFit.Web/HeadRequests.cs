namespace RandomFit.Web;

/// <summary>
/// Routes HEAD requests to the GET endpoints. Minimal API and page endpoints match GET only, so monitors and link
/// checkers that send HEAD (curl -I) got 404 for pages that exist. Kestrel still sends no body for a HEAD request,
/// because it decides that from the request line, not from the method the app reads.
/// </summary>
public static class HeadRequests
{
    /// <summary>Adds the rewrite and then routing, which must come after it to match the GET endpoints.</summary>
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Request.Method = HttpMethods.Get;
            }

            return next(context);
        });
        app.UseRouting();
        return app;
    }
}
