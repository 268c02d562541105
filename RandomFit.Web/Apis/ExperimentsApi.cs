using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Training.Specs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web.Apis;

/// <summary>The <c>/api/experiments</c> endpoints.</summary>
public static partial class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/experiments").WithTags("Experiments");
        api.MapPost("/", CreateAsync)
            .Accepts<CreateExperimentRequest>("application/json")
            .WithSummary("Creates an experiment from a preset or a spec and queues its runs.")
            .ProducesJsonBodyProblems()
            .ProducesRunStartProblems()
            .RequireRunStarter();
        api.MapGet("/", ListAsync).WithSummary("Lists experiments, newest first.").WithListQueryParameters();
        api.MapGet("/{id}", GetAsync).WithSummary("Returns an experiment with its spec and runs.").ProducesNotFound();
        api.MapGet("/{id}/spec", GetSpecAsync)
            .WithSummary("Returns an experiment's spec, including seeds added since it was created.")
            .ProducesNotFound();
        api.MapGet("/{id}/summary", GetSummaryAsync).WithSummary("Summarises final accuracies per cohort.").ProducesNotFound();
        api.MapGet("/{id}/export.csv", ExportCsvAsync)
            .WithSummary("Returns a row per run per epoch as CSV.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesNotFound();
        api.MapGet("/{id}/export.json", ExportJsonAsync)
            .WithSummary("Returns a row per run per epoch as JSON.")
            .Produces<string>(StatusCodes.Status200OK, "application/json")
            .ProducesNotFound();
        api.MapPost("/{id}/seeds", AddSeedsAsync)
            .Accepts<AddSeedsRequest>("application/json")
            .WithSummary("Queues every model and condition for new seeds.")
            .ProducesNotFound()
            .ProducesJsonBodyProblems()
            .ProducesRunStartProblems()
            .RequireRunStarter();
        api.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Cancels an experiment's runs and deletes it.")
            .ProducesNotFound()
            .ProducesSignInProblem()
            .RequireRunStarter();
        return app;
    }

    public static async Task<Results<Created<ExperimentCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        IExperimentService experiments,
        IOptions<RequestLimitsOptions> limits,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ExperimentsApi));
        var maxBytes = limits.Value.MaxRequestBytes;
        var body = await StrictJsonBody.ReadAsync<CreateExperimentRequest>(context, maxBytes);
        if (body.TooLarge)
        {
            LogTooLarge(logger, "Experiment", maxBytes);
            return ApiProblems.TooLarge(maxBytes);
        }

        if (body.Errors is not null)
        {
            return Rejected(logger, "Experiment", body.Errors);
        }

        try
        {
            var created = await experiments.CreateAsync(body.Value!, cancellationToken);
            return TypedResults.Created($"/api/experiments/{created.Id}", created);
        }
        catch (RequestValidationException exception)
        {
            return Rejected(logger, "Experiment", exception.Errors.ToDictionary());
        }
    }

    public static async Task<Results<Ok<Paged<ExperimentItem>>, ValidationProblem>> ListAsync(
        HttpRequest request,
        IExperimentService experiments,
        CancellationToken cancellationToken)
    {
        var reader = new ListQueryReader(request.Query);
        var query = new ExperimentQuery(
            Preset: reader.Preset(),
            Status: reader.Status(),
            Descending: reader.Descending(),
            Page: reader.Page(),
            PageSize: reader.PageSize(),
            Experiment: reader.Text("experiment"),
            Model: reader.Text("model"),
            Seed: reader.Seed());
        reader.RejectUnknownParameters();
        if (reader.Errors.Count > 0)
        {
            return ApiProblems.Invalid(reader.Errors);
        }

        return TypedResults.Ok(await experiments.ListAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<ExperimentDetails>, ProblemHttpResult>> GetAsync(
        string id,
        IExperimentService experiments,
        CancellationToken cancellationToken)
    {
        var experiment = await experiments.GetAsync(id, cancellationToken);
        return experiment is null ? ApiProblems.NotFound("Experiment", id) : TypedResults.Ok(experiment);
    }

    public static async Task<Results<Ok<ExperimentSpec>, ProblemHttpResult>> GetSpecAsync(
        string id,
        IExperimentService experiments,
        CancellationToken cancellationToken)
    {
        var experiment = await experiments.GetAsync(id, cancellationToken);
        return experiment is null ? ApiProblems.NotFound("Experiment", id) : TypedResults.Ok(experiment.Spec);
    }

    public static async Task<Results<Ok<ExperimentSummary>, ProblemHttpResult>> GetSummaryAsync(
        string id,
        ExperimentResults results,
        CancellationToken cancellationToken)
    {
        var summary = await results.SummariseAsync(id, cancellationToken);
        return summary is null ? ApiProblems.NotFound("Experiment", id) : TypedResults.Ok(summary);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportCsvAsync(
        string id,
        HttpContext context,
        ExperimentResults results,
        CancellationToken cancellationToken)
    {
        var table = await results.ExportAsync(id, cancellationToken);
        return table is null
            ? ApiProblems.NotFound("Experiment", id)
            : Downloads.Text(context, table.ToCsv(), "text/csv", $"{id}.csv");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportJsonAsync(
        string id,
        HttpContext context,
        ExperimentResults results,
        CancellationToken cancellationToken)
    {
        var table = await results.ExportAsync(id, cancellationToken);
        return table is null
            ? ApiProblems.NotFound("Experiment", id)
            : Downloads.Text(context, table.ToJson().ToJsonString(), "application/json", $"{id}.json");
    }

    public static async Task<Results<Created<IReadOnlyList<RunItem>>, ValidationProblem, ProblemHttpResult>>
        AddSeedsAsync(
            string id,
            HttpContext context,
            IRunAdditions additions,
            IDbContextFactory<RandomFitDbContext> dbFactory,
            IOptions<RequestLimitsOptions> limits,
            ILoggerFactory loggers,
            CancellationToken cancellationToken)
    {
        // An unknown id returns 404 whatever the body contains, so the experiment is looked up before the body is read.
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
            {
                return ApiProblems.NotFound("Experiment", id);
            }
        }

        var logger = loggers.CreateLogger(typeof(ExperimentsApi));
        var request = $"Seeds for experiment {id}";
        var maxBytes = limits.Value.MaxRequestBytes;
        var body = await StrictJsonBody.ReadAsync<AddSeedsRequest>(context, maxBytes);
        if (body.TooLarge)
        {
            LogTooLarge(logger, request, maxBytes);
            return ApiProblems.TooLarge(maxBytes);
        }

        if (body.Errors is not null)
        {
            return Rejected(logger, request, body.Errors);
        }

        try
        {
            var runs = await additions.AddSeedsAsync(id, body.Value!.Seeds, cancellationToken);
            return runs is null
                ? ApiProblems.NotFound("Experiment", id)
                : TypedResults.Created($"/api/experiments/{id}", runs);
        }
        catch (RequestValidationException exception)
        {
            return Rejected(logger, request, exception.Errors.ToDictionary());
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id,
        IExperimentService experiments,
        CancellationToken cancellationToken)
    {
        var deleted = await experiments.DeleteAsync(id, cancellationToken);
        return deleted ? TypedResults.NoContent() : ApiProblems.NotFound("Experiment", id);
    }

    // Logs each rejected field path with its messages, so a 400 can be traced from the server's log.
    private static ValidationProblem Rejected(ILogger logger, string request, IDictionary<string, string[]> errors)
    {
        var reasons = string.Join(" ", errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}"));
        LogRejected(logger, request, reasons);
        return ApiProblems.Invalid(errors);
    }

    [LoggerMessage(LogLevel.Information, "{Request} request rejected: {Reasons}")]
    private static partial void LogRejected(ILogger logger, string request, string reasons);

    [LoggerMessage(LogLevel.Information, "{Request} request rejected: body larger than {MaxBytes} bytes")]
    private static partial void LogTooLarge(ILogger logger, string request, long maxBytes);
}
