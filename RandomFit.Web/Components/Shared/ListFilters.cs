using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Filters of the run and experiment list pages, read from their query strings. Status and seed are parsed by the
/// API's <see cref="ListQueryReader"/>, and the queries go to the same list services as <c>GET /api/runs</c> and
/// <c>GET /api/experiments</c>, so a link filters a page as it filters the API. A value the API rejects with 400 is
/// ignored by a page and listed in <see cref="Problems"/>.
/// </summary>
public sealed record ListFilters(
    string? Experiment,
    string? Model,
    RunStatus? Status,
    int? Seed,
    string? Preset,
    int Page,
    IReadOnlyList<string> Problems)
{
    private static readonly string StatusNamesText =
        string.Join(", ", Enum.GetValues<RunStatus>().Select(StatusNames.ToName));

    /// <summary>Parses the query-string values of a list page. Text filters are trimmed, and blank ones filter nothing.</summary>
    public static ListFilters Read(
        string? experiment = null,
        string? model = null,
        string? status = null,
        string? seed = null,
        string? preset = null,
        string? page = null)
    {
        // The reader trims each value and reads a blank one as absent, as the API does.
        var reader = new ListQueryReader(new QueryCollection(new Dictionary<string, StringValues>
        {
            ["experiment"] = experiment,
            ["model"] = model,
            ["status"] = status,
            ["seed"] = seed,
            ["preset"] = preset,
        }));
        var parsedStatus = reader.Status();
        var parsedSeed = reader.Seed();

        var problems = new List<string>();
        if (reader.Errors.ContainsKey("status"))
        {
            problems.Add($"Ignored status '{status}': use one of {StatusNamesText}.");
        }

        if (reader.Errors.ContainsKey("seed"))
        {
            problems.Add($"Ignored seed '{seed}': use a whole number from 0 to 2147483647.");
        }

        problems.AddRange(ListPager.PageProblems(page));
        return new ListFilters(
            reader.Text("experiment"),
            reader.Text("model"),
            parsedStatus,
            parsedSeed,
            reader.Text("preset"),
            ListPager.ParsePage(page),
            problems);
    }

    /// <summary>The lowercase name of the status for the status filter, or null when absent or ignored.</summary>
    public string? StatusName => Status is { } status ? StatusNames.ToName(status) : null;

    public RunQuery ToRunQuery(int pageSize) => new(
        Experiment: Experiment,
        Model: Model,
        Status: Status,
        Seed: Seed,
        Preset: Preset,
        Page: Page,
        PageSize: pageSize);

    public ExperimentQuery ToExperimentQuery(int pageSize) => new(
        Preset: Preset,
        Status: Status,
        Page: Page,
        PageSize: pageSize,
        Experiment: Experiment,
        Model: Model,
        Seed: Seed);
}
