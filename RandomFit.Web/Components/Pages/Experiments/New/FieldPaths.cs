using System.Globalization;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Field paths as the validator and the HTTP API key their errors.</summary>
public static class FieldPaths
{
    public const string Name = "spec.name";
    public const string Seeds = "spec.seeds";
    public const string Models = "spec.models";

    public static string Data(string field) => "spec.data." + field;

    public static string Shape(string field) => "spec.data.shape." + field;

    public static string Condition(int index) => Invariant($"spec.data.conditions[{index}]");

    public static string Training(string field) => "spec.training." + field;

    public static string Model(int index) => Invariant($"spec.models[{index}]");

    public static string Model(int index, string field) => Model(index) + "." + field;

    public static string Conv(int model, int block, string field) => Invariant($"{Model(model)}.conv[{block}].{field}");

    public static string Dense(int index) => Model(index, "dense");

    public static string Hidden(int index) => Model(index, "hidden");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
