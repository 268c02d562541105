using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace RandomFit.Web;

/// <summary>
/// Chooses between 404 and 405 for a request that routing matched to no endpoint it can run. Routing builds its 405
/// from every endpoint whose route pattern fits the path before it checks route constraints. MapStaticAssets'
/// fallback route <c>{**path:file}</c> (GET and HEAD, constrained to file names) therefore turned a DELETE to any
/// unknown path into a 405 with <c>Allow: GET, HEAD</c>, and left a GET to a POST-only path such as
/// <c>/api/runs/{id}/cancel</c> with a 404. This check matches every route with its constraints instead.
/// </summary>
public static class AllowedMethods
{
    /// <summary>
    /// Adds the check. It must come after routing, and after the status code pages so that they write the problem
    /// body of its 404 and 405.
    /// </summary>
    public static IApplicationBuilder UseAllowedMethodsCheck(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Every endpoint the app maps is a RouteEndpoint. Routing's 405 and 415 endpoints are plain Endpoints.
            if (context.GetEndpoint() is RouteEndpoint)
            {
                return next(context);
            }

            var allowed = Find(context);
            if (allowed.Contains(context.Request.Method))
            {
                // The path takes this method, so routing rejected the request for another reason, such as a 415
                // for its content type, and routing's endpoint writes that response.
                return next(context);
            }

            if (allowed.Count == 0)
            {
                // No endpoint takes this path with any method, so the request goes on to the 404 at the pipeline's end.
                context.SetEndpoint(null);
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return Task.CompletedTask;
        });

    /// <summary>
    /// Returns the methods, in ordinal order, of the endpoints whose route matches the request path with its
    /// constraints. HEAD is listed with GET because <see cref="HeadRequests"/> serves HEAD from the GET endpoints.
    /// </summary>
    public static IReadOnlyCollection<string> Find(HttpContext context)
    {
        var services = context.RequestServices;
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints;
        var policies = services.GetRequiredService<ParameterPolicyFactory>();
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            // An endpoint without methods takes them all, so routing would have chosen it had its route matched.
            var endpointMethods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (endpointMethods is { Count: > 0 } && Matches(endpoint.RoutePattern, context, policies))
            {
                methods.UnionWith(endpointMethods);
            }
        }

        if (methods.Contains(HttpMethods.Get))
        {
            methods.Add(HttpMethods.Head);
        }

        return methods;
    }

    private static bool Matches(RoutePattern pattern, HttpContext context, ParameterPolicyFactory policies)
    {
        var values = new RouteValueDictionary();
        var matcher = new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults));
        if (!matcher.TryMatch(context.Request.Path, values))
        {
            return false;
        }

        foreach (var (name, references) in pattern.ParameterPolicies)
        {
            var parameter = pattern.GetParameter(name);
            foreach (var reference in references)
            {
                if (policies.Create(parameter, reference) is IRouteConstraint constraint
                    && !constraint.Match(context, route: null, name, values, RouteDirection.IncomingRequest))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
