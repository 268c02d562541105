using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Components.Pages.Compare;

/// <summary>
/// A run on the compare page with the spec and name of its experiment. The name is null when the experiment is not
/// found.
/// </summary>
public sealed record ComparedRun(RunDetails Run, ExperimentSpec Spec, string? ExperimentName = null)
{
    public IReadOnlyList<(string Name, string Value)> Fields { get; } = SpecFields.Of(Spec, Run.Model, Run.Condition);

    public int? EpochsToFit => Run.Epochs.FirstOrDefault(e => e.TrainAccuracy >= 1.0)?.Epoch;
}

/// <summary>Reads the <c>runs</c> query value and finds the spec fields in which the compared runs differ.</summary>
public static class RunComparison
{
    /// <summary>
    /// Splits the comma-separated ids, dropping blanks and repeats. Lists the malformed ids and the valid ids given more
    /// than once, each once and in order of first appearance.
    /// </summary>
    public static (IReadOnlyList<string> Ids, IReadOnlyList<string> Malformed, IReadOnlyList<string> Repeated) ParseIds(
        string? runs)
    {
        var ids = new List<string>();
        var malformed = new List<string>();
        var repeated = new List<string>();
        foreach (var part in (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Length > 64 || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                if (!malformed.Contains(part))
                {
                    malformed.Add(part);
                }
            }
            else if (!ids.Contains(part))
            {
                ids.Add(part);
            }
            else if (!repeated.Contains(part))
            {
                repeated.Add(part);
            }
        }

        return (ids, malformed, repeated);
    }

    /// <summary>Returns the fields whose values are not the same for every run, in field order.</summary>
    public static IReadOnlyList<string> DifferingFields(IReadOnlyList<ComparedRun> runs)
    {
        if (runs.Count < 2)
        {
            return [];
        }

        return [.. runs[0].Fields
            .Select((field, index) => (field.Name, index))
            .Where(field => runs.Select(run => run.Fields[field.index].Value).Distinct().Count() > 1)
            .Select(field => field.Name)];
    }
}
