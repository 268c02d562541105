using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace RandomFit.Web.Components.Shared;

/// <summary>The dashed line at chance accuracy, 1/classes, that the run and compare pages draw on accuracy charts.</summary>
public static class ChanceLine
{
    /// <summary>The line's name in the legend and the hover label.</summary>
    public const string Name = "chance";

    /// <summary>
    /// The line's neutral grey, with a contrast of about 3.4:1 on both the light and the dark chart surface. Left to
    /// Plotly, the line took the next colour of the chart's ten-colour cycle, which a run's line has from 10 runs on.
    /// </summary>
    public const string Color = "#8a8a8a";

    /// <summary>
    /// Returns a thin dashed line at 1/<paramref name="classes"/> from <paramref name="firstX"/> to
    /// <paramref name="lastX"/>, or null when <paramref name="classes"/> is below 2 and chance has no meaning.
    /// </summary>
    public static Scatter? Create(double firstX, double lastX, int classes)
    {
        if (classes < 2)
        {
            return null;
        }

        var chance = 1.0 / classes;
        return new Scatter
        {
            Name = Name,
            Mode = ModeFlag.Lines,
            X = [firstX, lastX],
            Y = [chance, chance],
            Line = new Line { Color = Color, Dash = "dash", Width = 1 },
        };
    }
}
