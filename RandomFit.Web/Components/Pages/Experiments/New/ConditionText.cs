using System.Globalization;
using RandomFit.Training.Specs;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Descriptions of data conditions by the fields they override, in the spec's field names and values.</summary>
public static class ConditionText
{
    /// <summary>Returns one entry per field the condition overrides, such as "corruption: 0.5", in the spec's order.</summary>
    public static IReadOnlyList<string> Overrides(DataCondition condition)
    {
        var fields = new List<string>();
        if (condition.Shape is { } shape)
        {
            fields.Add($"shape: {Dimension(shape.Channels)}x{Dimension(shape.Height)}x{Dimension(shape.Width)}");
        }

        Add(fields, "trainSamples", condition.TrainSamples);
        Add(fields, "testSamples", condition.TestSamples);
        Add(fields, "classes", condition.Classes);
        AddEnum(fields, "inputs", condition.Inputs);
        AddEnum(fields, "labels", condition.Labels);
        Add(fields, "corruption", condition.Corruption);
        Add(fields, "corruptTest", condition.CorruptTest);
        AddEnum(fields, "pixels", condition.Pixels);
        Add(fields, "standardize", condition.Standardize);
        if (condition.File is { } file)
        {
            fields.Add($"file: {file}");
        }

        return fields;
    }

    /// <summary>Whether an error key belongs to the condition at <paramref name="conditionPath"/> or a field inside it.</summary>
    public static bool IsPathOf(string conditionPath, string key) =>
        key == conditionPath || key.StartsWith(conditionPath + ".", StringComparison.Ordinal);

    private static string Dimension(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "as above";

    private static void Add(List<string> fields, string name, int? value)
    {
        if (value is { } number)
        {
            fields.Add($"{name}: {number.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void Add(List<string> fields, string name, double? value)
    {
        if (value is { } number)
        {
            fields.Add($"{name}: {SpecNumber.Format(number)}");
        }
    }

    private static void Add(List<string> fields, string name, bool? value)
    {
        if (value is { } flag)
        {
            fields.Add($"{name}: {(flag ? "true" : "false")}");
        }
    }

    private static void AddEnum<T>(List<string> fields, string name, T? value)
        where T : struct, Enum
    {
        if (value is { } member)
        {
            fields.Add($"{name}: {EnumText.Of(member)}");
        }
    }
}
