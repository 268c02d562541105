namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Validation messages keyed by field path, as <c>SpecValidator</c> and the HTTP API return them.</summary>
public sealed class FormErrors(IReadOnlyDictionary<string, string[]> errors)
{
    public static FormErrors None { get; } = new(new Dictionary<string, string[]>());

    public IReadOnlyDictionary<string, string[]> All => errors;

    public bool IsEmpty => errors.Count == 0;

    /// <summary>Returns the messages for a field and its list elements (<c>seeds</c> covers <c>seeds[3]</c>), or null.</summary>
    public string? For(string path)
    {
        var messages = Matching(path).SelectMany(pair => pair.Value).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Returns the messages whose paths no field on the page shows, with their paths.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> NotShownBy(IReadOnlyCollection<string> fieldPaths) =>
        errors.Where(pair => !fieldPaths.Any(path => Covers(path, pair.Key)));

    private IEnumerable<KeyValuePair<string, string[]>> Matching(string path) =>
        errors.Where(pair => Covers(path, pair.Key));

    // A list field shows its elements' messages (hidden[1]) but not those of fields inside them (conv[1].kernel).
    private static bool Covers(string fieldPath, string key) =>
        key == fieldPath
        || (key.StartsWith(fieldPath + "[", StringComparison.Ordinal)
            && key.IndexOf(']', fieldPath.Length) == key.Length - 1);
}
