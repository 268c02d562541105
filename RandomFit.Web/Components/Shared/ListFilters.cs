using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Filters, sort and paging of the run and experiment list pages, read from their query strings by the API's
/// <see cref="ListQueryReader"/>. The queries go to the same list services as <c>GET /api/runs</c> and
/// <c>GET /api/experiments</c>, so a link filters a page as it filters the API. A value the API rejects with 400,
/// including a parameter given more than once, is ignored by a page and listed in <see cref="Problems"/>.
/// </summary>
public sealed record ListFilters(
    string? Experiment,
    string? Model,
    RunStatus? Status,
    int? Seed,
    string? Preset,
    bool Descending,
    int Page,
    int PageSize,
    IReadOnlyList<string> Problems)
{
    /// <summary>The allowed values of each parameter that can be invalid when given once, in a notice's words.</summary>
    private static readonly Dictionary<string, string> AllowedValues = new()
    {
        ["status"] = "one of " + string.Join(", ", Enum.GetValues<RunStatus>().Select(StatusNames.ToName)),
        ["seed"] = "a whole number from 0 to 2147483647",
        ["preset"] = ListQueryReader.PresetChoices,
        ["sort"] = "createdAt or -createdAt",
        ["page"] = "a whole number from 1 to 2147483647",
        ["pageSize"] = $"a whole number from 1 to {ListQueryReader.MaxPageSize}",
    };

    /// <summary>The filters of a list page opened without a query string.</summary>
    public static readonly ListFilters Unfiltered = Read(QueryCollection.Empty);

    /// <summary>Parses the query string of a list page's absolute URI.</summary>
    public static ListFilters FromUri(string uri) =>
        Read(new QueryCollection(QueryHelpers.ParseQuery(new Uri(uri).Query)));

    /// <summary>
    /// Parses the query-string values of a list page. Text filters are trimmed, and blank ones filter nothing. An
    /// invalid or repeated value is read as absent, so the page falls back to the default for it.
    /// </summary>
    public static ListFilters Read(IQueryCollection query)
    {
        // The reader trims each value and reads a blank one as absent, as the API does.
        var reader = new ListQueryReader(query);
        var filters = new ListFilters(
            Experiment: reader.Text("experiment"),
            Model: reader.Text("model"),
            Status: reader.Status(),
            Seed: reader.Seed(),
            Preset: reader.Preset(),
            Descending: reader.Descending(),
            Page: reader.Page(),
            PageSize: reader.PageSize(),
            Problems: []);

        var problems = ListQueryReader.Parameters
            .Where(reader.Errors.ContainsKey)
            .Select(name => Problem(name, query[name]))
            .ToList();
        return filters with { Problems = problems };
    }

    private static string Problem(string name, StringValues values) =>
        values.Count > 1
            ? RepeatedProblem(name, values)
            : $"Ignored {name} {EchoedText.Quote(values[0] ?? "")}: use {AllowedValues[name]}.";

    /// <summary>Describes a query parameter given more than once, which a page ignores as a whole.</summary>
    public static string RepeatedProblem(string name, StringValues values)
    {
        var quoted = string.Join(", ", values.Select(value => EchoedText.Quote(value ?? "")));
        return $"Ignored {name} {quoted}: use one {name} value, not {values.Count}.";
    }

    /// <summary>The lowercase name of the status for the status filter, or null when absent or ignored.</summary>
    public string? StatusName => Status is { } status ? StatusNames.ToName(status) : null;

    public RunQuery ToRunQuery() => new(
        Experiment: Experiment,
        Model: Model,
        Status: Status,
        Seed: Seed,
        Preset: Preset,
        Descending: Descending,
        Page: Page,
        PageSize: PageSize);

    public ExperimentQuery ToExperimentQuery() => new(
        Preset: Preset,
        Status: Status,
        Descending: Descending,
        Page: Page,
        PageSize: PageSize,
        Experiment: Experiment,
        Model: Model,
        Seed: Seed);
}
