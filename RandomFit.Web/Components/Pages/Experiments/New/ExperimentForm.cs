using System.Text.Json;
using RandomFit.Training.Specs;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// The editable state of the new-experiment page. It keeps the spec it was loaded from, so fields the page does
/// not edit travel unchanged into the created experiment.
/// </summary>
public sealed class ExperimentForm
{
    private ExperimentSpec _source = new();
    private string _name = "";
    private bool _nameTyped;

    /// <summary>The preset the form was loaded from, whether or not the fields still match it.</summary>
    public Preset? LoadedPreset { get; private set; }

    /// <summary>
    /// The id of <see cref="LoadedPreset"/> while the fields match it apart from name and seeds, as of the last
    /// <see cref="MatchPreset"/>, else null.
    /// </summary>
    public string? PresetId { get; private set; }

    /// <summary>
    /// The experiment name as its field shows it. Setting it marks the name as typed, so it no longer follows the
    /// preset. An empty name means <see cref="DefaultName"/>.
    /// </summary>
    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            _nameTyped = true;
        }
    }

    /// <summary>
    /// The name that an empty name field gives the experiment, as the API names a request without one: the loaded
    /// preset's name while the fields match it, else "Untitled experiment".
    /// </summary>
    public string DefaultName { get; private set; } = ExperimentRequestValidator.DefaultName;

    public DataForm Data { get; } = new();
    public List<ModelForm> Models { get; } = [];
    public TrainingForm Training { get; } = new();
    public string Seeds { get; set; } = "0";

    /// <summary>Creates a form holding a preset's spec.</summary>
    public static ExperimentForm FromPreset(Preset preset)
    {
        var form = FromSpec(preset.Spec);
        form.LoadedPreset = preset;
        form.PresetId = preset.Id;
        form._name = PresetName(preset);
        return form;
    }

    /// <summary>
    /// Compares <paramref name="spec"/>, built from the fields, with the loaded preset's spec and returns it with the
    /// name that follows. While the two match apart from name and seeds, the form is that preset and a name the user
    /// has not typed is the preset's. Once they differ, the experiment is a spec of its own, so an untyped name
    /// becomes the default name of such a spec.
    /// </summary>
    public ExperimentSpec MatchPreset(ExperimentSpec spec)
    {
        if (LoadedPreset is not { } preset)
        {
            return spec;
        }

        var matches = SameExceptNameAndSeeds(spec, preset.Spec);
        PresetId = matches ? preset.Id : null;
        DefaultName = matches ? PresetName(preset) : ExperimentRequestValidator.DefaultName;
        if (!_nameTyped)
        {
            _name = DefaultName;
        }

        return spec with { Name = NameOrDefault };
    }

    private string NameOrDefault => string.IsNullOrEmpty(_name) ? DefaultName : _name;

    private static string PresetName(Preset preset) =>
        string.IsNullOrEmpty(preset.Spec.Name) ? preset.Name : preset.Spec.Name;

    private static bool SameExceptNameAndSeeds(ExperimentSpec left, ExperimentSpec right)
    {
        var leftJson = JsonSerializer.Serialize(left with { Name = null, Seeds = null }, SpecJson.Options);
        var rightJson = JsonSerializer.Serialize(right with { Name = null, Seeds = null }, SpecJson.Options);
        return leftJson == rightJson;
    }

    /// <summary>Creates a form holding a spec.</summary>
    public static ExperimentForm FromSpec(ExperimentSpec spec)
    {
        var form = new ExperimentForm { _source = spec, _name = spec.Name ?? "", Seeds = SeedList.Format(spec.EffectiveSeeds) };
        form.Data.Load(spec.Data ?? new DataSpec());
        form.Models.AddRange((spec.Models ?? []).Select(ModelForm.FromSpec));
        form.Training.Load(spec.Training ?? new TrainingSpec());
        return form;
    }

    /// <summary>Adds a model named after its position, a small MLP by default.</summary>
    public void AddModel()
    {
        var name = $"model{Models.Count + 1}";
        Models.Add(ModelForm.FromSpec(new ModelSpec { Name = name, Kind = ModelKind.Mlp, Hidden = [64] }));
    }

    /// <summary>
    /// Builds the spec from the fields. Text fields that do not parse are left out of the spec and reported in
    /// <paramref name="parseErrors"/> under the same paths the validator uses.
    /// </summary>
    public ExperimentSpec ToSpec(Dictionary<string, string[]> parseErrors)
    {
        var seeds = SeedList.Parse(Seeds, out var seedError);
        if (seedError is not null)
        {
            parseErrors[FieldPaths.Seeds] = [seedError];
        }

        return _source with
        {
            Name = NameOrDefault,
            Data = Data.ToSpec(),
            Models = Models.Select((model, index) => model.ToSpec(index, parseErrors)).ToList(),
            Training = Training.ToSpec(),
            Seeds = seeds ?? _source.Seeds,
        };
    }
}
