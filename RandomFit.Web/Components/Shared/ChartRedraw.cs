using Microsoft.JSInterop;
using Plotly.Blazor;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// The redraw of live charts that stayed mounted, with their component's new data. A chart mounted by the same render
/// plots its data itself, so callers pass only the charts that were already drawn.
/// </summary>
public static class ChartRedraw
{
    /// <summary>
    /// Makes the chart report zooms, pans and double-clicks to its <c>RelayoutAction</c>. Call it from the chart's
    /// <c>AfterRender</c>, which runs once Plotly has drawn the chart. A closed tab ends the call without an error.
    /// </summary>
    public static async Task SubscribeRelayoutAsync(PlotlyChart? chart)
    {
        try
        {
            if (chart is not null)
            {
                await chart.SubscribeRelayoutEvent();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab closed before the chart could report a zoom, so there is nothing to report.
        }
    }

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
