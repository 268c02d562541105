using System.Globalization;
using RandomFit.Training.Specs;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Apis;

/// <summary>
/// Reads list filters, sort and paging from a query string, collecting an error per bad parameter so that a
/// wrong value answers 400 naming the parameter instead of falling back to a default.
/// </summary>
public sealed class ListQueryReader(IQueryCollection query)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Every query parameter a list reads, each single-valued, in the order errors and notices name them.</summary>
    public static readonly IReadOnlyList<string> Parameters =
        ["experiment", "model", "status", "seed", "preset", "sort", "page", "pageSize"];

    public Dictionary<string, string[]> Errors { get; } = [];

    /// <summary>
    /// Adds an error for each parameter that no list reads, so a misspelled name such as <c>stauts</c> returns 400
    /// instead of filtering nothing. Names match without regard to case, as ASP.NET Core reads them. The list pages
    /// do not call it, so a page opened from a link with other parameters still shows its list.
    /// </summary>
    public void RejectUnknownParameters()
    {
        foreach (var name in query.Keys)
        {
            if (name.Length > 0 && !Parameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Errors[name] = [$"Unknown query parameter {EchoedText.Quote(name)}; use {ParametersText}."];
            }
        }
    }

    public string? Text(string name) => Single(name);

    public int Page() => Integer("page", 1, int.MaxValue, "a whole number from 1 to 2147483647") ?? 1;

    public int PageSize() =>
        Integer("pageSize", 1, MaxPageSize, $"a whole number from 1 to {MaxPageSize}") ?? DefaultPageSize;

    public int? Seed() => Integer("seed", 0, int.MaxValue, "a whole number from 0 to 2147483647");

    /// <summary>True for newest first, the default.</summary>
    public bool Descending()
    {
        var value = Single("sort");
        switch (value)
        {
            case null or "-createdAt":
                return true;
            case "createdAt":
                return false;
            default:
                Errors["sort"] = [$"sort must be createdAt or -createdAt; got {EchoedText.Quote(value)}."];
                return true;
        }
    }

    public RunStatus? Status()
    {
        var value = Single("status");
        if (value is null)
        {
            return null;
        }

        if (StatusNames.TryParse(value, out var status))
        {
            return status;
        }

        var allowed = string.Join(", ", Enum.GetValues<RunStatus>().Select(StatusNames.ToName));
        Errors["status"] = [$"status must be one of {allowed}; got {EchoedText.Quote(value)}."];
        return null;
    }

    /// <summary>Reads the preset filter, which must be one of the preset ids.</summary>
    public string? Preset()
    {
        var value = Single("preset");
        if (value is null || Presets.Find(value) is not null)
        {
            return value;
        }

        Errors["preset"] = [$"preset must be {PresetChoices}; got {EchoedText.Quote(value)}."];
        return null;
    }

    private static string ParametersText =>
        string.Join(", ", Parameters.Take(Parameters.Count - 1)) + " or " + Parameters[^1];

    /// <summary>The preset filter's allowed values, in an error's words.</summary>
    public static string PresetChoices => "one of " + string.Join(", ", Presets.All.Select(preset => preset.Id));

    private int? Integer(string name, int min, int max, string allowed)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        var parsed = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
        if (parsed && number >= min && number <= max)
        {
            return number;
        }

        Errors[name] = [$"{name} must be {allowed}; got {EchoedText.Quote(value)}."];
        return null;
    }

    private string? Single(string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            Errors[name] = [$"Give {name} once; got {values.Count} values."];
            return null;
        }

        // An empty or blank value, as a form's blank field sends it, is read as absent, and spaces around a value
        // are dropped, as the list pages drop them.
        var value = values[0]?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
