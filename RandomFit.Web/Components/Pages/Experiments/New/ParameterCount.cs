using System.Globalization;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>A model's trainable parameter count, or the reason it cannot be counted yet.</summary>
public sealed record ParameterCount(long? Value, string? Error)
{
    public static ParameterCount Unknown { get; } = new(null, null);

    public string Text => Value is { } value
        ? value.ToString("N0", CultureInfo.InvariantCulture) + " parameters"
        : Error is null ? "" : "Cannot count parameters: " + Error;
}
