using Microsoft.JSInterop;
using Plotly.Blazor;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// The redraw of live charts that stayed mounted, with their component's new data. A chart mounted by the same render
/// plots its data itself, so callers pass only the charts that were already drawn.
/// </summary>
public static class ChartRedraw
{
    /// <summary>Sends each chart's data and layout to Plotly. A closed tab ends the redraw without an error.</summary>
    public static async Task ReactAsync(IEnumerable<PlotlyChart?> charts)
    {
        try
        {
            foreach (var chart in charts)
            {
                if (chart is not null)
                {
                    await chart.React();
                }
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab closed while a push was drawn. The runs go on, and a new tab draws them from the store.
        }
    }
}
