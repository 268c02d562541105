using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// The message for the Execution field when stacked execution meets models with batch normalization or dropout. The
/// validator reports the conflict on each model's field, so the form adds this one to show it at Execution too.
/// </summary>
public static class StackedConflict
{
    /// <summary>Returns the message naming the models that stacked execution cannot train, or null when none.</summary>
    public static string? Describe(ExperimentSpec spec)
    {
        if (spec.Training?.Execution != ExecutionMode.Stacked)
        {
            return null;
        }

        var names = new List<string>();
        var models = spec.Models ?? [];
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i] is { } model && !SpecValidator.CanStack(model))
            {
                names.Add(string.IsNullOrWhiteSpace(model.Name) ? $"{i + 1}" : model.Name);
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        var subject = names.Count == 1 ? $"model {names[0]} uses" : $"models {string.Join(", ", names)} use";
        return $"Stacked execution does not support batch normalization or dropout, which {subject}; " +
            "use separate execution or turn them off.";
    }
}
