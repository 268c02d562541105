using System.Reflection;
using System.Text.Json.Serialization;

namespace RandomFit.Web.Components.Shared;

/// <summary>The contract's lowercase name of an enum value ("cnn", "as-is", "running").</summary>
public static class EnumText
{
    public static string Of<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var attribute = typeof(T).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>();
        return attribute?.Name ?? name.ToLowerInvariant();
    }
}
