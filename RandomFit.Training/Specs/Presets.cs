namespace RandomFit.Training.Specs;

/// <summary>A named experiment that ships with the application.</summary>
public sealed record Preset(string Id, string Name, string Description, ExperimentSpec Spec);

/// <summary>The presets, starting with the article's three Keras examples.</summary>
public static class Presets
{
    /// <summary>Every preset, in display order.</summary>
    public static IReadOnlyList<Preset> All => throw new NotImplementedException();

    /// <summary>Returns the preset with this id, or null.</summary>
    public static Preset? Find(string id) => All.FirstOrDefault(preset => preset.Id == id);
}
