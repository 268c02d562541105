using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using RandomFit.Training.Specs;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>
/// The chart view a link carries in its query string: <c>metric</c>, <c>x</c>, <c>smooth</c> and <c>group</c>.
/// Unknown or out-of-range values fall back to the defaults, so a hand-edited link still opens a page.
/// </summary>
public sealed record CurveView(string Metric, string X, double Smooth, string Group)
{
    public static readonly IReadOnlyList<string> Metrics = ["trainAccuracy", "testAccuracy", "trainLoss", "testLoss"];
    public static readonly IReadOnlyList<string> XAxes = ["epoch", "seconds"];
    public static readonly IReadOnlyList<string> Groups = ["seed-cohort", "none"];

    public static CurveView Default { get; } = new("trainAccuracy", "epoch", 0, "seed-cohort");

    public bool IsLoss => Metric.EndsWith("Loss", StringComparison.Ordinal);

    public bool BySeconds => X == "seconds";

    public static CurveView Parse(string? metric, string? x, string? smooth, string? group)
    {
        return new CurveView(
            Metrics.Contains(metric) ? metric! : Default.Metric,
            XAxes.Contains(x) ? x! : Default.X,
            TryParseSmooth(smooth, out var smoothing) ? smoothing : Default.Smooth,
            Groups.Contains(group) ? group! : Default.Group);
    }

    /// <summary>
    /// Returns the view parameters among <paramref name="names"/> that appear more than once in the query string of
    /// <paramref name="uri"/>, each with one sentence naming its values. Blazor supplies only the first value of a
    /// repeated parameter, so a page drops such a parameter and shows the sentence.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Repeated(string uri, params string[] names)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        var repeated = new Dictionary<string, string>();
        foreach (var name in names)
        {
            if (query.TryGetValue(name, out var values) && values.Count > 1)
            {
                repeated[name] = ListFilters.RepeatedProblem(name, values);
            }
        }

        return repeated;
    }

    /// <summary>
    /// Lists the given query values that <see cref="Parse"/> replaced with a default, one sentence each naming the
    /// parameter, the value and what it accepts. Absent (null) values are not problems.
    /// </summary>
    public static IReadOnlyList<string> Problems(string? metric, string? x, string? smooth, string? group)
    {
        var problems = new List<string>();
        if (metric is not null && !Metrics.Contains(metric))
        {
            problems.Add($"Ignored metric {EchoedText.Quote(metric)}: use one of {string.Join(", ", Metrics)}.");
        }

        if (x is not null && !XAxes.Contains(x))
        {
            problems.Add($"Ignored x {EchoedText.Quote(x)}: use one of {string.Join(", ", XAxes)}.");
        }

        if (smooth is not null && !TryParseSmooth(smooth, out _))
        {
            problems.Add($"Ignored smooth {EchoedText.Quote(smooth)}: use a number from 0 to 0.99.");
        }

        if (group is not null && !Groups.Contains(group))
        {
            problems.Add($"Ignored group {EchoedText.Quote(group)}: use one of {string.Join(", ", Groups)}.");
        }

        return problems;
    }

    /// <summary>
    /// Returns one sentence naming every value of query parameter <paramref name="name"/> in <paramref name="uri"/>,
    /// which a page ignores because of <paramref name="reason"/>, or none when the parameter is absent.
    /// </summary>
    public static IReadOnlyList<string> Ignored(string uri, string name, string reason)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        if (!query.TryGetValue(name, out var values))
        {
            return [];
        }

        var quoted = string.Join(", ", values.Select(value => EchoedText.Quote(value ?? "")));
        return [$"Ignored {name} {quoted}: {reason}."];
    }

    // Reads an exponential moving average weight, valid from 0 (off) to 0.99.
    private static bool TryParseSmooth(string? text, out double smooth) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out smooth) && smooth is >= 0 and <= 0.99;

    /// <summary>
    /// Returns the page path with this view in its query string, after any other parameters given. A page that draws
    /// no cohorts passes <paramref name="includeGroup"/> false to leave <c>group</c> out.
    /// </summary>
    public string ToUri(string path, IDictionary<string, string?>? extra = null, bool includeGroup = true)
    {
        var query = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["metric"] = Metric,
            ["x"] = X,
            ["smooth"] = SmoothText,
        };
        if (includeGroup)
        {
            query["group"] = Group;
        }

        return QueryHelpers.AddQueryString(path, query);
    }

    /// <summary>
    /// Returns the metric, x axis and smoothing query values that differ from <see cref="Default"/>, in that order,
    /// so a link carries only what the reader changed. Group is left out.
    /// </summary>
    public Dictionary<string, string?> ChangedFromDefault()
    {
        var changed = new Dictionary<string, string?>();
        if (Metric != Default.Metric)
        {
            changed["metric"] = Metric;
        }

        if (X != Default.X)
        {
            changed["x"] = X;
        }

        if (Smooth != Default.Smooth)
        {
            changed["smooth"] = SmoothText;
        }

        return changed;
    }

    // Up to 15 decimals keep a value such as 0.555 from a link, so a copied link shows the same curves. The float
    // error of sums such as 0.1 + 0.2 from the field's step buttons is rounded away.
    private string SmoothText => Smooth.ToString("0.###############", CultureInfo.InvariantCulture);
}
