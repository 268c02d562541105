using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>
/// Checks a parsed request body against the type it will be read into and collects every unknown property and
/// every value of the wrong JSON type, each under its own path. Deserializing stops at the first such error, so
/// this check runs first to report them all in one response.
/// </summary>
/// <remarks>
/// The rules are those of the contract's strict reading: property names match exactly, numbers are JSON numbers,
/// whole numbers fit their type, enums are one of their names, and strings are valid Unicode. A property set to
/// null counts as left out, so it gets the property's default, or the "required" error of validation when it has
/// none. A null inside an array is an error only where the array's items are non-nullable value types, as in
/// deserialization. The check is stricter than System.Text.Json 10.0 in two ways: an enum value must be one of
/// its names exactly, where the enum converter also reads "cnn, mlp" or " cnn", and a property marked
/// <c>[JsonIgnore]</c> counts as unknown rather than being skipped.
/// </remarks>
public static class JsonTypeCheck
{
    // The characters for which System.Text.Json 10.0 writes a property in an error path as ['name'] rather
    // than .name. Keys use the same form, so a key does not depend on which of the two reported it.
    private static readonly char[] BracketedNameCharacters =
    [
        '.', ' ', '\'', '/', '"', '[', ']', '(', ')',
        '\t', '\n', '\r', '\f', '\b', '\\', '\u0085', '\u2028', '\u2029',
    ];

    // Caps the response, because a body at the default 1 MiB limit that is one long array of wrong items would
    // otherwise list over 200,000 errors.
    private const int MaxReportedPaths = 100;

    private static readonly string TooManyErrorsMessage =
        $"The request body has errors at more than {MaxReportedPaths} paths, and only the first {MaxReportedPaths} "
        + "are listed. Fix them and send the body again to see the rest.";

    private const string InvalidNameMessage =
        "Expected property names of valid Unicode characters; a name here contains an unpaired surrogate escape.";

    /// <summary>
    /// Collects the errors of <paramref name="root"/> read as <paramref name="rootType"/>, keyed by path
    /// (<c>spec.training.epochs</c>, <c>seeds[2]</c>); empty when it reads without a type error.
    /// </summary>
    public static Dictionary<string, List<string>> FindErrors(
        Type rootType,
        JsonElement root,
        JsonSerializerOptions options)
    {
        var errors = new Dictionary<string, List<string>>();
        CheckValue(rootType, root, "$", propertyName: null, options, errors);
        return errors;
    }

    /// <summary>
    /// Collects every property of <paramref name="root"/> whose name an earlier property of the same object already
    /// has, keyed by its path. Names are compared after unescaping, so <c>"\u0065pochs"</c> repeats <c>"epochs"</c>.
    /// </summary>
    public static Dictionary<string, List<string>> FindDuplicateProperties(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>();
        CollectDuplicates(root, "$", errors);
        return errors;
    }

    /// <summary>
    /// Writes <paramref name="element"/> without the object properties whose value is null, so that deserializing
    /// the copy gives each such property its default, as if it had been left out.
    /// </summary>
    public static void WriteWithoutNullProperties(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        writer.WritePropertyName(property.Name);
                        WriteWithoutNullProperties(property.Value, writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteWithoutNullProperties(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>Converts an error path such as <c>$.spec.seeds[1]</c> to its key, <c>spec.seeds[1]</c>.</summary>
    internal static string KeyOf(string path) =>
        path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static void CheckValue(
        Type type,
        JsonElement element,
        string path,
        string? propertyName,
        JsonSerializerOptions options,
        Dictionary<string, List<string>> errors)
    {
        var valueType = Nullable.GetUnderlyingType(type) ?? type;
        switch (options.GetTypeInfo(valueType).Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(valueType, element, path, propertyName, options, errors);
                break;
            case JsonTypeInfoKind.Enumerable when JsonErrorText.ElementType(valueType) is { } itemType:
                CheckArray(valueType, itemType, element, path, propertyName, options, errors);
                break;
            default:
                if (!ReadsAs(valueType, element, options))
                {
                    Add(errors, path, JsonErrorText.WrongValue(type, element, propertyName));
                }

                break;
        }
    }

    private static void CheckObject(
        Type type,
        JsonElement element,
        string path,
        string? propertyName,
        JsonSerializerOptions options,
        Dictionary<string, List<string>> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path, JsonErrorText.WrongValue(type, element, propertyName));
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!TryGetName(property, out var name))
            {
                Add(errors, path, InvalidNameMessage);
                continue;
            }

            var childPath = path + PathSegment(name);
            var target = JsonErrorText.FindProperty(type, name);
            if (target is null)
            {
                Add(errors, childPath, JsonErrorText.UnknownProperty(type, name));
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                CheckValue(target.PropertyType, property.Value, childPath, name, options, errors);
            }
        }
    }

    private static void CheckArray(
        Type type,
        Type itemType,
        JsonElement element,
        string path,
        string? propertyName,
        JsonSerializerOptions options,
        Dictionary<string, List<string>> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            Add(errors, path, JsonErrorText.WrongValue(type, element, propertyName));
            return;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = $"{path}[{index}]";
            if (item.ValueKind != JsonValueKind.Null)
            {
                CheckValue(itemType, item, itemPath, propertyName, options, errors);
            }
            else if (itemType.IsValueType && Nullable.GetUnderlyingType(itemType) is null)
            {
                Add(errors, itemPath, JsonErrorText.WrongValue(itemType, item, propertyName));
            }

            index++;
        }
    }

    private static void CollectDuplicates(JsonElement element, string path, Dictionary<string, List<string>> errors)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CollectDuplicates(item, $"{path}[{index}]", errors);
                index++;
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            // A name with an unpaired surrogate escape has no text to compare, and the type check reports it.
            if (!TryGetName(property, out var name))
            {
                continue;
            }

            var childPath = path + PathSegment(name);
            if (!names.Add(name) && reported.Add(name))
            {
                Add(
                    errors,
                    childPath,
                    $"Property {EchoedText.Quote(name)} appears more than once in this object; give each property once.");
            }

            CollectDuplicates(property.Value, childPath, errors);
        }
    }

    // Returns whether a JSON value that is not an object or array reads as the non-nullable type.
    private static bool ReadsAs(Type type, JsonElement element, JsonSerializerOptions options)
    {
        if (type == typeof(int))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _);
        }

        if (type == typeof(long))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _);
        }

        // Like deserialization, this accepts a number too large for a double, such as 1e400, as infinity, and
        // leaves the range to validation.
        if (type == typeof(double))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out _);
        }

        if (type == typeof(bool))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False;
        }

        if (type == typeof(string))
        {
            return element.ValueKind == JsonValueKind.String && IsValidText(element);
        }

        if (type.IsEnum)
        {
            return element.ValueKind == JsonValueKind.String
                && IsValidText(element)
                && JsonErrorText.EnumNames(type).Contains(element.GetString(), StringComparer.Ordinal);
        }

        try
        {
            element.Deserialize(type, options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A JSON string with an escaped lone surrogate, such as "\ud800", is valid JSON but not valid Unicode text.
    private static bool IsValidText(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    // Every property name of the contract is shorter than EchoedText.MaxLength, so only an unknown name is cut, as
    // its error message cuts it.
    private static string PathSegment(string name)
    {
        var shortened = EchoedText.Shorten(name);
        return shortened.IndexOfAny(BracketedNameCharacters) >= 0 ? $"['{shortened}']" : "." + shortened;
    }

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        var key = path == "$" ? "$" : KeyOf(path);
        if (!errors.TryGetValue(key, out var messages))
        {
            if (errors.Count >= MaxReportedPaths)
            {
                AddOnce(errors, "$", TooManyErrorsMessage);
                return;
            }

            messages = [];
            errors[key] = messages;
        }

        messages.Add(message);
    }

    private static void AddOnce(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var messages))
        {
            messages = [];
            errors[key] = messages;
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }
}
