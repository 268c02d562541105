using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>
/// Turns a <see cref="JsonException"/> from strict reading into the contract's error key and a message that says
/// what was expected there. The expected type comes from walking the exception's path through the target type,
/// and the value given comes from the same path in the parsed document.
/// </summary>
public static partial class JsonErrorText
{
    // Seeds, in the spec, in a request's override and in the training's fixed seeds, are 0 to 2147483647, so the
    // message for a seed that does not fit an int states that range rather than the int's.
    private static readonly HashSet<string> SeedProperties = ["seeds", "dataSeed", "initSeed", "orderSeed"];

    public static (string Key, string Message) Explain(Type rootType, JsonElement root, JsonException exception)
    {
        var path = exception.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return ("$", "The request body does not match the expected object.");
        }

        var key = JsonTypeCheck.KeyOf(path);
        var segments = PathSegment().Matches(path).ToList();
        var type = rootType;
        string? propertyName = null;
        JsonElement? element = root;
        foreach (var segment in segments)
        {
            if (segment.Groups["index"].Success)
            {
                type = ElementType(type) ?? typeof(object);
                element = Index(element, int.Parse(segment.Groups["index"].Value));
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            var property = FindProperty(type, name);
            if (property is null)
            {
                return (key, UnknownProperty(type, name));
            }

            type = property.PropertyType;
            propertyName = name;
            element = Property(element, name);
        }

        return (key, WrongValue(type, element, propertyName));
    }

    /// <summary>Formats the error for a property name that <paramref name="type"/> does not have.</summary>
    internal static string UnknownProperty(Type type, string name)
    {
        var allowed = string.Join(", ", JsonNames(type));
        var message = $"Unknown property {EchoedText.Quote(name)}. Property names are case-sensitive; allowed here: {allowed}.";

        // GET /api/experiments/{id}/spec returns a bare spec, and posting it back unchanged puts its fields at the top.
        if (FindProperty(type, "spec") is { } spec && FindProperty(spec.PropertyType, name) is not null)
        {
            message += $" {EchoedText.Quote(name)} is a spec field: send the spec inside the request, as {{\"spec\": {{...}}}}.";
        }

        return message;
    }

    /// <summary>
    /// Formats the error for a value that does not read as <paramref name="type"/>. <paramref name="propertyName"/>
    /// is the JSON property of the value, or of the array that contains it, and null at the root.
    /// </summary>
    internal static string WrongValue(Type type, JsonElement? element, string? propertyName)
    {
        var given = element is { } value ? Describe(value) : "another value";

        // A JSON string that still failed to read as a string contains an escaped lone surrogate, such as "\ud800",
        // which is not a Unicode character. "Expected a string; got the string ..." would contradict itself.
        if (type == typeof(string) && element is { ValueKind: JsonValueKind.String })
        {
            return $"Expected text of valid Unicode characters; got {given}, "
                + "which contains an unpaired surrogate escape.";
        }

        var message = $"Expected {Expected(type, element, propertyName)}; got {given}.";
        if (IsWholeNumberWithPointOrExponent(type, element))
        {
            message += " Write whole numbers without a decimal point or exponent.";
        }

        return message;
    }

    // Returns whether the int reader rejected a whole number, such as 1e2 or 100.0, only for how it is written.
    private static bool IsWholeNumberWithPointOrExponent(Type type, JsonElement? element) =>
        (Nullable.GetUnderlyingType(type) ?? type) == typeof(int)
        && element is { ValueKind: JsonValueKind.Number } number
        && number.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0
        && number.TryGetDouble(out var value)
        && value == Math.Floor(value)
        && value is >= int.MinValue and <= int.MaxValue;

    /// <summary>Describes a JSON value for a message, such as <c>the string "3"</c> or <c>an array</c>.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string {Shorten(element.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "an unknown value",
    };

    /// <summary>
    /// Describes the value <paramref name="type"/> reads. <paramref name="propertyName"/> is the JSON property of the
    /// value, or of the array that contains it, and null at the root.
    /// </summary>
    private static string Expected(Type type, JsonElement? given, string? propertyName)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int))
        {
            // The range matters only when a number was given; the fields' own ranges are checked after reading.
            if (given is not { ValueKind: JsonValueKind.Number })
            {
                return "a whole number as a JSON number";
            }

            if (propertyName is not null && SeedProperties.Contains(propertyName))
            {
                return "a whole number from 0 to 2147483647";
            }

            // Within the int range the number failed only for its fraction or its notation, and the field's own
            // range (trainSamples at least 1, say) is narrower than the int's, so the int's range would mislead.
            return given.Value.TryGetDouble(out var number) && number is >= int.MinValue and <= int.MaxValue
                ? "a whole number"
                : "a whole number from -2147483648 to 2147483647";
        }

        if (type == typeof(long))
        {
            return "an integer as a JSON number";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a JSON number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string))
        {
            return "a string";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", EnumNames(type).Select(n => $"\"{n}\""));
        }

        return ElementType(type) is not null ? "an array" : "an object";
    }

    internal static IEnumerable<string> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    internal static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.GetInterfaces()
            .Append(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault();
    }

    internal static PropertyInfo? FindProperty(Type type, string jsonName) =>
        ReadableProperties(type).FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == jsonName);

    private static IEnumerable<string> JsonNames(Type type) =>
        ReadableProperties(type).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    internal static IEnumerable<PropertyInfo> ReadableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0);

    private static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var child))
        {
            return child;
        }

        return null;
    }

    private static JsonElement? Index(JsonElement? element, int index) =>
        element is { ValueKind: JsonValueKind.Array } value && index < value.GetArrayLength() ? value[index] : null;

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..37] + "...";

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
