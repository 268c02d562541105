using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

/// <summary>
/// Checks a create request and resolves it to the spec to store. Errors are keyed by the path of the field
/// the client sent: <c>preset</c>, <c>name</c>, <c>seeds[i]</c>, <c>spec....</c>, or <c>$</c> for the body.
/// </summary>
public static class ExperimentRequestValidator
{
    public const string DefaultName = "Untitled experiment";

    /// <summary>Returns the spec to store, with the name and seed overrides applied.</summary>
    /// <exception cref="RequestValidationException">The request is invalid.</exception>
    public static (ExperimentSpec Spec, Preset? Preset) Resolve(CreateExperimentRequest request, LimitsOptions limits) =>
        Resolve(request, limits, datasets: null);

    /// <summary>
    /// Returns the spec to store, with the name and seed overrides applied; file inputs are checked against
    /// <paramref name="datasets"/>, and rejected without it.
    /// </summary>
    /// <exception cref="RequestValidationException">The request is invalid.</exception>
    public static (ExperimentSpec Spec, Preset? Preset) Resolve(
        CreateExperimentRequest request,
        LimitsOptions limits,
        IDatasetStore? datasets)
    {
        if ((request.Preset is null) == (request.Spec is null))
        {
            throw Invalid("$", "Give exactly one of 'preset' (a preset id) and 'spec' (an experiment spec).");
        }

        Preset? preset = null;
        if (request.Preset is not null)
        {
            preset = Presets.Find(request.Preset);
            if (preset is null)
            {
                var known = string.Join(", ", Presets.All.Select(p => p.Id));
                throw Invalid("preset", $"Unknown preset {EchoedText.Quote(request.Preset)}. Known presets: {known}.");
            }
        }

        var errors = new Dictionary<string, List<string>>();
        var spec = preset?.Spec ?? request.Spec!;
        if (request.Name is not null)
        {
            CheckName(request.Name, errors);
        }

        if (request.Seeds is not null)
        {
            CheckSeeds(request.Seeds, limits, errors);
            spec = spec with { Seeds = request.Seeds };
        }

        spec = spec with { Name = request.Name ?? spec.Name ?? preset?.Name ?? DefaultName };

        // A client's spec is checked as sent, so an invalid spec.seeds or spec.name is reported even when the
        // top-level seeds or name replace it. A preset is checked with the overrides, which were checked above.
        foreach (var (key, messages) in SpecValidator.Validate(preset is null ? request.Spec! : spec, limits, datasets, "spec"))
        {
            var overridden = (request.Seeds is not null && key.StartsWith("spec.seeds", StringComparison.Ordinal))
                || (request.Name is not null && key == "spec.name");
            if (preset is not null && overridden)
            {
                continue;
            }

            // A preset's spec is valid by construction unless this server's limits are tighter than it needs.
            var target = preset is null ? key : "preset";
            var list = errors.TryGetValue(target, out var existing) ? existing : errors[target] = [];
            list.AddRange(preset is null ? messages : messages.Select(m => $"Preset '{preset.Id}' {key}: {m}"));
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        return (spec, preset);
    }

    private static void CheckName(string name, Dictionary<string, List<string>> errors)
    {
        if (SpecValidator.NameProblem(name) is { } problem)
        {
            errors["name"] = [problem];
        }
    }

    private static void CheckSeeds(
        IReadOnlyList<int> seeds,
        LimitsOptions limits,
        Dictionary<string, List<string>> errors)
    {
        if (seeds.Count < 1 || seeds.Count > limits.MaxSeeds)
        {
            errors["seeds"] = [SeedChecks.CountMessage(limits.MaxSeeds, seeds.Count)];
        }

        foreach (var (index, message) in SeedChecks.EntryErrors(seeds))
        {
            errors[$"seeds[{index}]"] = [message];
        }
    }

    private static RequestValidationException Invalid(string key, string message) =>
        new(new Dictionary<string, string[]> { [key] = [message] });
}
