namespace RandomFit.Web.Apis;

/// <summary>
/// Extensions that list in the OpenAPI document the problem responses of handlers, middleware and policies, which the
/// handlers' return types cannot show (a <c>ProblemHttpResult</c> carries no fixed status code).
/// </summary>
public static class ProblemResponses
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Declares 404 for an endpoint that looks up an id from its route.</summary>
    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound, ProblemJson);

    /// <summary>Declares 409 for an endpoint that rejects a request the resource's state does not allow.</summary>
    public static RouteHandlerBuilder ProducesConflict(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status409Conflict, ProblemJson);

    /// <summary>Declares 413 (body over <c>RandomFit:Limits:MaxRequestBytes</c>) and 415 (not JSON) for a JSON body.</summary>
    public static RouteHandlerBuilder ProducesJsonBodyProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge, ProblemJson)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType, ProblemJson);

    /// <summary>
    /// Declares 401 (sign-in required and none given) and 429 (run-start limit reached, with Retry-After) for an
    /// endpoint that queues runs.
    /// </summary>
    public static RouteHandlerBuilder ProducesRunStartProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesSignInProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests, ProblemJson);

    /// <summary>Declares 401 for an endpoint behind the run-starter policy that queues no runs.</summary>
    public static RouteHandlerBuilder ProducesSignInProblem(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized, ProblemJson);
}
