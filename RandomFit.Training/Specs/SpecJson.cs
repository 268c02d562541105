using System.Text.Json;
using System.Text.Json.Serialization;

namespace RandomFit.Training.Specs;

/// <summary>JSON settings of the public contract: camelCase, lowercase enum strings, strict reading.</summary>
public static class SpecJson
{
    /// <summary>
    /// Options for reading and writing specs: property names match exactly, numbers must be JSON numbers,
    /// unknown properties are errors, and enums are the contract's lowercase strings.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the contract's settings to <paramref name="options"/>, for hosts that own their options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
