using Microsoft.AspNetCore.Http.HttpResults;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>Problem responses shared by the endpoint groups.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string resource, string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"{resource} not found.",
            detail: $"No {resource.ToLowerInvariant()} has id {EchoedText.Quote(id)}.");

    public static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request body too large.",
            detail: $"The request body exceeds {maxBytes} bytes (RandomFit:Limits:MaxRequestBytes).");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid.");
}
