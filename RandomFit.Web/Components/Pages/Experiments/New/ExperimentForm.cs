using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// The editable state of the new-experiment page. It keeps the spec it was loaded from, so fields the page does
/// not edit travel unchanged into the created experiment.
/// </summary>
public sealed class ExperimentForm
{
    private ExperimentSpec _source = new();

    public string? PresetId { get; private set; }
    public string Name { get; set; } = "";
    public DataForm Data { get; } = new();
    public List<ModelForm> Models { get; } = [];
    public TrainingForm Training { get; } = new();
    public string Seeds { get; set; } = "0";

    /// <summary>Creates a form holding a preset's spec.</summary>
    public static ExperimentForm FromPreset(Preset preset)
    {
        var form = FromSpec(preset.Spec);
        form.PresetId = preset.Id;
        if (string.IsNullOrEmpty(form.Name))
        {
            form.Name = preset.Name;
        }

        return form;
    }

    /// <summary>Creates a form holding a spec.</summary>
    public static ExperimentForm FromSpec(ExperimentSpec spec)
    {
        var form = new ExperimentForm { _source = spec, Name = spec.Name ?? "", Seeds = SeedList.Format(spec.EffectiveSeeds) };
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
            Name = Name,
            Data = Data.ToSpec(),
            Models = Models.Select((model, index) => model.ToSpec(index, parseErrors)).ToList(),
            Training = Training.ToSpec(),
            Seeds = seeds ?? _source.Seeds,
        };
    }
}
