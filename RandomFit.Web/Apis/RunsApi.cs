using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Persistence;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web.Apis;

/// <summary>The <c>/api/runs</c> endpoints.</summary>
public static class RunsApi
{
    public const string MetricsCsvHeader = "epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,seconds,elapsedSeconds";

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs");
        api.MapGet("/", ListAsync).WithSummary("Lists runs without their epochs, newest first.").WithListQueryParameters();
        api.MapGet("/{id}", GetAsync).WithSummary("Returns a run with every stored epoch.").ProducesNotFound();
        api.MapGet("/{id}/metrics.csv", GetMetricsCsvAsync)
            .WithSummary("Returns a run's epochs as CSV.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesNotFound();
        api.MapPost("/{id}/rerun", RerunAsync)
            .WithSummary("Queues a new run with the same model, condition and seed.")
            .ProducesNotFound()
            .ProducesRunStartProblems()
            .RequireRunStarter();
        api.MapPost("/{id}/cancel", CancelAsync)
            .WithSummary("Cancels a queued, running or interrupted run.")
            .ProducesNotFound()
            .ProducesConflict()
            .ProducesSignInProblem()
            .RequireRunStarter();
        api.MapPost("/{id}/resume", ResumeAsync)
            .WithSummary("Queues an interrupted run to train on from its checkpoint.")
            .ProducesNotFound()
            .ProducesConflict()
            .ProducesSignInProblem()
            .RequireRunStarter();
        return app;
    }

    public static async Task<Results<Ok<Paged<RunItem>>, ValidationProblem>> ListAsync(
        HttpRequest request,
        IRunService runs,
        CancellationToken cancellationToken)
    {
        var reader = new ListQueryReader(request.Query);
        var query = new RunQuery(
            Experiment: reader.Text("experiment"),
            Model: reader.Text("model"),
            Status: reader.Status(),
            Seed: reader.Seed(),
            Preset: reader.Preset(),
            Descending: reader.Descending(),
            Page: reader.Page(),
            PageSize: reader.PageSize());
        reader.RejectUnknownParameters();
        if (reader.Errors.Count > 0)
        {
            return ApiProblems.Invalid(reader.Errors);
        }

        return TypedResults.Ok(await runs.ListAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<RunDetails>, ProblemHttpResult>> GetAsync(
        string id,
        IRunService runs,
        CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        return run is null ? ApiProblems.NotFound("Run", id) : TypedResults.Ok(run);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetMetricsCsvAsync(
        string id,
        HttpContext context,
        IRunService runs,
        CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return ApiProblems.NotFound("Run", id);
        }

        var csv = new StringBuilder(MetricsCsvHeader).Append('\n');
        foreach (var epoch in run.Epochs)
        {
            csv.Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(epoch.TrainLoss)).Append(',')
                .Append(Cell(epoch.TrainAccuracy)).Append(',')
                .Append(Cell(epoch.TestLoss)).Append(',')
                .Append(Cell(epoch.TestAccuracy)).Append(',')
                .Append(Cell(epoch.Seconds)).Append(',')
                .Append(Cell(epoch.ElapsedSeconds)).Append('\n');
        }

        return Downloads.Text(context, csv.ToString(), "text/csv", $"{run.Id}-metrics.csv");
    }

    public static async Task<Results<Created<RunItem>, ValidationProblem, ProblemHttpResult>> RerunAsync(
        string id,
        HttpRequest request,
        IRunAdditions additions,
        IDbContextFactory<RandomFitDbContext> dbFactory,
        CancellationToken cancellationToken)
    {
        // An unknown id returns 404 whatever the body contains, so the run is looked up before the body is checked.
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
            {
                return ApiProblems.NotFound("Run", id);
            }
        }

        // The rerun copies everything from the run, so a body would be ignored; rejecting it keeps requests strict.
        // CanHaveBody is also true for a chunked body, which has no Content-Length.
        var bodyDetection = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (bodyDetection?.CanHaveBody ?? request.ContentLength > 0)
        {
            return ApiProblems.Invalid(new Dictionary<string, string[]>
            {
                ["$"] = ["A rerun takes no request body: it copies the model, condition and seed of the run."],
            });
        }

        var run = await additions.RerunAsync(id, cancellationToken);
        return run is null ? ApiProblems.NotFound("Run", id) : TypedResults.Created($"/api/runs/{run.Id}", run);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(
        string id,
        IRunService runs,
        IDbContextFactory<RandomFitDbContext> dbFactory,
        CancellationToken cancellationToken)
    {
        return await runs.CancelAsync(id, cancellationToken) switch
        {
            CancelOutcome.Accepted => TypedResults.Accepted($"/api/runs/{id}"),
            CancelOutcome.AlreadyFinal => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The run has already ended.",
                detail: $"Run '{id}' has already ended ({await EndedStatusAsync(dbFactory, id, cancellationToken)}). "
                    + "Only queued, running or interrupted runs can be cancelled."),
            _ => ApiProblems.NotFound("Run", id),
        };
    }

    // The status that ended the run, as the contract spells it; read after the cancel, so it is final. Only the
    // status column is read, not the run's epochs.
    private static async Task<string> EndedStatusAsync(
        IDbContextFactory<RandomFitDbContext> dbFactory, string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Runs.Where(r => r.Id == id).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        return status is { } ended ? StatusNames.ToName(ended) : "deleted";
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResumeAsync(
        string id,
        IRunService runs,
        CancellationToken cancellationToken)
    {
        var result = await runs.ResumeAsync(id, cancellationToken);
        return result.Outcome switch
        {
            ResumeOutcome.Accepted => TypedResults.Accepted($"/api/runs/{id}"),
            ResumeOutcome.NotFound => ApiProblems.NotFound("Run", id),
            ResumeOutcome.NoCheckpoint => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The run has no checkpoint.",
                detail: result.Message),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Only an interrupted run can be resumed.",
                detail: result.Message),
        };
    }

    // "R" keeps every digit, so the CSV reproduces the stored doubles exactly.
    private static string Cell(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
