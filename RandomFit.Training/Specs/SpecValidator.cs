namespace RandomFit.Training.Specs;

/// <summary>Checks a spec against the contract's ranges and the configured limits.</summary>
public static class SpecValidator
{
    /// <summary>
    /// Validates a spec. Returns errors keyed by field path under <paramref name="prefix"/>
    /// (for example <c>spec.models[0].conv[1].kernel</c>); an empty dictionary when the spec is valid.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ExperimentSpec spec, LimitsOptions limits, string prefix = "spec")
        => throw new NotImplementedException();
}
