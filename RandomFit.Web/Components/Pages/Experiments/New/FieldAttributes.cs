namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Marks an input with the field path its errors are keyed by, for tests and browser automation.</summary>
public static class FieldAttributes
{
    public static Dictionary<string, object?> ForPath(string path) => new() { ["data-path"] = path };
}
