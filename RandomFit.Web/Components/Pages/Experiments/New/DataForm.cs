using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Editable data fields.</summary>
public sealed class DataForm
{
    private DataSpec _source = new();

    public int? Channels { get; set; }
    public int? Height { get; set; }
    public int? Width { get; set; }
    public int? TrainSamples { get; set; }
    public int TestSamples { get; set; }
    public int Classes { get; set; } = 2;
    public InputKind Inputs { get; set; }
    public LabelKind Labels { get; set; }
    public double Corruption { get; set; }
    public bool CorruptTest { get; set; }
    public PixelTransform Pixels { get; set; }
    public bool Standardize { get; set; }

    /// <summary>The uploaded dataset's id, sent only while inputs are <c>file</c>.</summary>
    public string? File { get; set; }

    /// <summary>The data conditions, each an axis of runs. Without any, the runs use the fields above.</summary>
    public List<ConditionForm> Conditions { get; } = [];

    /// <summary>Whether any run's labels are corrupted, by these fields or by a condition.</summary>
    public bool CorruptsLabels =>
        Labels == LabelKind.Corrupted || Conditions.Any(condition => LabelsOf(condition) == LabelKind.Corrupted);

    /// <summary>The labels a condition's runs get: its own, else the experiment's.</summary>
    public LabelKind LabelsOf(ConditionForm condition) => condition.Labels ?? Labels;

    /// <summary>Adds a condition named after its position that changes nothing until edited.</summary>
    public void AddCondition()
    {
        var number = Conditions.Count + 1;
        while (Conditions.Any(condition => condition.Name == $"condition{number}"))
        {
            number++;
        }

        Conditions.Add(ConditionForm.FromSpec(new DataCondition { Name = $"condition{number}" }));
    }

    public void Load(DataSpec data)
    {
        _source = data;
        Channels = data.Shape?.Channels;
        Height = data.Shape?.Height;
        Width = data.Shape?.Width;
        TrainSamples = data.TrainSamples;
        TestSamples = data.TestSamples;
        Classes = data.Classes;
        Inputs = data.Inputs;
        Labels = data.Labels;
        Corruption = data.Corruption;
        CorruptTest = data.CorruptTest;
        Pixels = data.Pixels;
        Standardize = data.Standardize;
        File = data.File;
        Conditions.Clear();
        Conditions.AddRange((data.Conditions ?? []).Select(condition => ConditionForm.FromSpec(condition ?? new DataCondition())));
    }

    /// <summary>Selects an uploaded dataset and copies its sample shape, sample counts and classes.</summary>
    public void UseDataset(DatasetItem dataset)
    {
        File = dataset.Id;
        Channels = dataset.Shape.Channels;
        Height = dataset.Shape.Height;
        Width = dataset.Shape.Width;
        TrainSamples = dataset.Samples;
        TestSamples = dataset.TestSamples;
        Classes = dataset.Classes;
    }

    public DataSpec ToSpec() => _source with
    {
        Shape = new ShapeSpec { Channels = Channels, Height = Height, Width = Width },
        TrainSamples = TrainSamples,
        TestSamples = TestSamples,
        Classes = Classes,
        Inputs = Inputs,
        Labels = Labels,
        Corruption = Corruption,
        CorruptTest = CorruptTest,
        Pixels = Pixels,
        Standardize = Standardize,
        File = Inputs == InputKind.File ? File : null,
        Conditions = Conditions.Count == 0 ? null : Conditions.Select(condition => condition.ToSpec()).ToList(),
    };
}
