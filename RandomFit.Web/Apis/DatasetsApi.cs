using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web.Apis;

/// <summary>The <c>/api/datasets</c> endpoints: uploads of users' own data for <c>inputs: "file"</c>.</summary>
public static partial class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");
        // No Accepts metadata: routing would answer other content types with a bare 415, and the contract wants a
        // 400 that says what to send.
        api.MapPost("/", UploadAsync)
            .WithSummary("Uploads a dataset: one .npz file (x, y, optionally x_test, y_test), or IDX images and labels.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = UploadBody();
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge, "application/problem+json")
            .ProducesSignInProblem()
            .RequireRunStarter();
        api.MapGet("/", ListAsync).WithSummary("Lists uploaded datasets, newest first.");
        api.MapGet("/{id}", GetAsync).WithSummary("Returns an uploaded dataset's description.").ProducesNotFound();
        api.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Deletes an uploaded dataset that no experiment uses.")
            .ProducesNotFound()
            .ProducesConflict()
            .ProducesSignInProblem()
            .RequireRunStarter();
        return app;
    }

    // The form the handler reads, for the OpenAPI document: a file field, or an images and a labels field.
    private static OpenApiRequestBody UploadBody()
    {
        static OpenApiSchema File(string description) =>
            new() { Type = JsonSchemaType.String, Format = "binary", Description = description };

        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = File("A .npz file with x and y, optionally x_test and y_test."),
                            ["images"] = File("An IDX images file (magic 0x00000803), optionally gzip-compressed."),
                            ["labels"] = File("The IDX labels file (magic 0x00000801) that goes with images."),
                        },
                    },
                },
            },
        };
    }

    public static async Task<Results<Created<DatasetItem>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request,
        DatasetStore datasets,
        IOptions<DatasetLimitsOptions> limits,
        ILogger<DatasetStore> logger,
        CancellationToken cancellationToken)
    {
        var maxBytes = limits.Value.MaxDatasetBytes;
        var read = await DatasetUploadReader.ReadAsync(request, maxBytes, logger, cancellationToken);
        if (read.TooLarge)
        {
            LogTooLarge(logger, maxBytes);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Dataset upload too large.",
                detail: TooLargeMessage(maxBytes));
        }

        if (read.Errors is not null)
        {
            LogRejected(logger, string.Join(" ", read.Errors.SelectMany(error => error.Value)));
            return ApiProblems.Invalid(read.Errors.ToDictionary());
        }

        try
        {
            var created = await datasets.CreateAsync(read.Upload!, cancellationToken);
            return TypedResults.Created($"/api/datasets/{created.Id}", created);
        }
        catch (DatasetFormatException exception)
        {
            LogRejected(logger, exception.Message);
            return FileError(exception.Message);
        }
    }

    public static async Task<Ok<IReadOnlyList<DatasetItem>>> ListAsync(DatasetStore datasets, CancellationToken cancellationToken) =>
        TypedResults.Ok(await datasets.ListAsync(cancellationToken));

    public static async Task<Results<Ok<DatasetItem>, ProblemHttpResult>> GetAsync(
        string id,
        DatasetStore datasets,
        CancellationToken cancellationToken)
    {
        var dataset = await datasets.GetAsync(id, cancellationToken);
        return dataset is null ? ApiProblems.NotFound("Dataset", id) : TypedResults.Ok(dataset);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id,
        DatasetStore datasets,
        CancellationToken cancellationToken)
    {
        var deletion = await datasets.DeleteAsync(id, cancellationToken);
        return deletion.Outcome switch
        {
            DatasetDeletionOutcome.Deleted => TypedResults.NoContent(),
            DatasetDeletionOutcome.InUse => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The dataset is in use.",
                detail: InUseMessage(id, deletion.Users)),
            _ => ApiProblems.NotFound("Dataset", id),
        };
    }

    /// <summary>
    /// Returns the message for a dataset that experiments train on: how many, the first three by id and name, and
    /// what to do.
    /// </summary>
    public static string InUseMessage(string id, IReadOnlyList<DatasetUser> users)
    {
        var named = string.Join(", ", users.Take(3).Select(user => $"{user.Id} ({EchoedText.Quote(user.Name, '"')})"));
        var more = users.Count > 3 ? $" and {users.Count - 3} more" : "";
        var (count, advice) = users.Count == 1
            ? ("1 experiment uses", "Delete that experiment first; its runs rerun and resume from this dataset.")
            : ($"{users.Count} experiments use", "Delete those experiments first; their runs rerun and resume from this dataset.");
        return $"Dataset {EchoedText.Quote(id)} cannot be deleted, because {count} it: {named}{more}. {advice}";
    }

    /// <summary>The message for an upload whose files together exceed <paramref name="maxBytes"/>.</summary>
    public static string TooLargeMessage(long maxBytes) =>
        $"The upload exceeds {maxBytes} bytes (RandomFit:Limits:MaxDatasetBytes).";

    [LoggerMessage(LogLevel.Information, "Dataset upload rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Dataset upload rejected: larger than {MaxBytes} bytes")]
    private static partial void LogTooLarge(ILogger logger, long maxBytes);

    private static ValidationProblem FileError(string message) =>
        ApiProblems.Invalid(new Dictionary<string, string[]> { ["file"] = [message] });
}
