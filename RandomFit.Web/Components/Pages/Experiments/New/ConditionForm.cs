using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// One editable data condition. The page edits the name and the fields a randomization study varies (inputs,
/// labels, corruption, pixels). Any other field the loaded condition overrides travels unchanged.
/// </summary>
public sealed class ConditionForm
{
    private DataCondition _source = new();

    public string? Name { get; set; }
    public InputKind? Inputs { get; set; }
    public LabelKind? Labels { get; set; }
    public double? Corruption { get; set; }
    public PixelTransform? Pixels { get; set; }

    /// <summary>The spec field names this form edits, as the validator keys them under the condition.</summary>
    public static IReadOnlyList<string> EditedFields { get; } = ["name", "inputs", "labels", "corruption", "pixels"];

    public static ConditionForm FromSpec(DataCondition condition) => new()
    {
        _source = condition,
        Name = condition.Name,
        Inputs = condition.Inputs,
        Labels = condition.Labels,
        Corruption = condition.Corruption,
        Pixels = condition.Pixels,
    };

    /// <summary>
    /// The overrides this form does not edit, such as "trainSamples: 100", or null when there are none.
    /// </summary>
    public string? OtherChanges
    {
        get
        {
            var others = _source with { Inputs = null, Labels = null, Corruption = null, Pixels = null };
            return ConditionText.Overrides(others) is { Count: > 0 } fields ? string.Join(", ", fields) : null;
        }
    }

    public DataCondition ToSpec() => _source with
    {
        Name = Name,
        Inputs = Inputs,
        Labels = Labels,
        Corruption = Corruption,
        Pixels = Pixels,
    };
}
