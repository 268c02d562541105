using System.Text.Json;

namespace RandomFit.Web.Components.Shared;

/// <summary>A range of a Plotly axis in the axis's own units, which are log10 of the value on a logarithmic axis.</summary>
public readonly record struct AxisRange(double Low, double High);

/// <summary>
/// The x and y ranges that a reader zoomed or panned one chart to, each null while its axis shows its full, automatic
/// range. The charts choose their ticks from these ranges, because ticks chosen for the whole data can all fall outside
/// a narrow zoom.
/// </summary>
public sealed class ChartZoom
{
    /// <summary>The zoomed x range, or null at the full range.</summary>
    public AxisRange? X { get; private set; }

    /// <summary>The zoomed y range, or null at the full range.</summary>
    public AxisRange? Y { get; private set; }

    /// <summary>Returns both axes to their full range, as for a chart mounted anew.</summary>
    public void Reset()
    {
        X = null;
        Y = null;
    }

    /// <summary>
    /// Updates the ranges from the changes of a Plotly relayout event and returns whether either range changed. A zoom
    /// or pan sends <c>xaxis.range[0]</c> and <c>xaxis.range[1]</c>, <c>Plotly.relayout</c> can send
    /// <c>xaxis.range</c>, and the autoscale button sends <c>xaxis.autorange: true</c>. A double-click resets each
    /// axis to its first range, which is <c>autorange: true</c> for an axis that started automatic and the fixed
    /// range for one that did not, such as accuracy's 0-1.02. An axis that the changes do not name keeps its range.
    /// </summary>
    public bool Update(IDictionary<string, JsonElement>? changes)
    {
        if (changes is null)
        {
            return false;
        }

        var x = ReadRange(changes, "xaxis", X);
        var y = ReadRange(changes, "yaxis", Y);
        var changed = x != X || y != Y;
        X = x;
        Y = y;
        return changed;
    }

    private static AxisRange? ReadRange(IDictionary<string, JsonElement> changes, string axis, AxisRange? current)
    {
        // Plotly.relayout also takes the axis as one object, such as {"xaxis": {"range": [2, 5]}}.
        if (changes.TryGetValue(axis, out var nested) && nested.ValueKind == JsonValueKind.Object)
        {
            var properties = nested.EnumerateObject().ToDictionary(property => $"{axis}.{property.Name}", property => property.Value);
            current = ReadRange(properties, axis, current);
        }

        if (changes.TryGetValue($"{axis}.autorange", out var autorange) && autorange.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        if (changes.TryGetValue($"{axis}.range", out var range)
            && range.ValueKind == JsonValueKind.Array
            && range.GetArrayLength() == 2
            && ToRange(range[0], range[1]) is { } whole)
        {
            return whole;
        }

        if (changes.TryGetValue($"{axis}.range[0]", out var low)
            && changes.TryGetValue($"{axis}.range[1]", out var high)
            && ToRange(low, high) is { } ends)
        {
            return ends;
        }

        return current;
    }

    private static AxisRange? ToRange(JsonElement first, JsonElement second)
    {
        if (first.ValueKind != JsonValueKind.Number || second.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var start = first.GetDouble();
        var end = second.GetDouble();
        return double.IsFinite(start) && double.IsFinite(end) ? new AxisRange(Math.Min(start, end), Math.Max(start, end)) : null;
    }
}
