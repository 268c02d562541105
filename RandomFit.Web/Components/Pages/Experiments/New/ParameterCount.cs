using System.Globalization;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>A model's trainable parameter count, or the reason it cannot be counted yet.</summary>
public sealed record ParameterCount(long? Value, string? Error)
{
    public static ParameterCount Unknown { get; } = new(null, null);

    /// <summary>Floating-point operations of one forward pass of one sample, as ModelBuilder.CountFlops counts them.</summary>
    public long? Flops { get; init; }

    public string FlopsText => Flops is { } flops
        ? flops.ToString("N0", CultureInfo.InvariantCulture) + " FLOPs per sample"
        : "";

    public string Text => Value is { } value
        ? value.ToString("N0", CultureInfo.InvariantCulture) + " parameters"
        : Error is null ? "" : "Cannot count parameters: " + Error;
}
