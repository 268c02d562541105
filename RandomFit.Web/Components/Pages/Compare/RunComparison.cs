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

    /// <summary>
    /// Number of classes of the run's data with its condition applied, or null when the spec has no data or lacks the
    /// run's condition, such as when the experiment is not found.
    /// </summary>
    public int? Classes => Spec.TryResolveData(Run.Condition)?.Classes;
}

/// <summary>
/// Reads the <c>runs</c> query value, finds the spec fields in which the compared runs differ and names each run's line.
/// </summary>
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

    /// <summary>Minimum length of the run id prefix that a line name shows.</summary>
    public const int MinIdPrefix = 4;

    /// <summary>
    /// Returns a line name per run, in order: the model, condition and seed, such as "cnn seed 0". Runs that share
    /// it get their experiment's name added, and runs that still share a name get the shortest run id prefix, of
    /// at least <see cref="MinIdPrefix"/> characters, that distinguishes them.
    /// </summary>
    public static IReadOnlyList<string> LineNames(IReadOnlyList<ComparedRun> runs)
    {
        var names = runs.Select(BaseName).ToList();
        AppendWhereShared(names, runs, (compared, _) => compared.ExperimentName ?? compared.Run.ExperimentId);
        AppendWhereShared(names, runs, (compared, shared) => IdPrefix(compared.Run.Id, shared));
        return names;
    }

    private static string BaseName(ComparedRun compared)
    {
        var run = compared.Run;
        return run.Condition is null
            ? $"{run.Model} seed {run.Seed}"
            : $"{run.Model} · {run.Condition} seed {run.Seed}";
    }

    // Appends " · part" to every name that more than one run has. The part is computed from the run and the runs
    // sharing its name.
    private static void AppendWhereShared(
        List<string> names,
        IReadOnlyList<ComparedRun> runs,
        Func<ComparedRun, IReadOnlyList<ComparedRun>, string> part)
    {
        var groups = names
            .Select((name, index) => (name, index))
            .GroupBy(pair => pair.name, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .ToList();
        foreach (var group in groups)
        {
            var shared = group.Select(pair => runs[pair.index]).ToList();
            foreach (var (name, index) in group)
            {
                names[index] = $"{name} · {part(runs[index], shared)}";
            }
        }
    }

    // The page shows each run id once, so the whole id always distinguishes a run.
    private static string IdPrefix(string id, IReadOnlyList<ComparedRun> shared)
    {
        for (var length = Math.Min(MinIdPrefix, id.Length); length < id.Length; length++)
        {
            var prefix = id[..length];
            if (shared.Count(compared => compared.Run.Id.StartsWith(prefix, StringComparison.Ordinal)) == 1)
            {
                return prefix;
            }
        }

        return id;
    }
}
