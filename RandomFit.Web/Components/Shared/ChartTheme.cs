using Plotly.Blazor.LayoutLib;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Colours of a Plotly chart's text, grid, hover label and lines in the light or the dark theme. Plotly's own
/// defaults (dark grey text, white grid lines) assume a white page, so on the dark theme's surface they were
/// unreadable. Charts keep a transparent background, which shows the card they sit on.
/// </summary>
public static class ChartTheme
{
    // MudBlazor 9.14's default text colours on its surface: TextPrimary #424242 in the light palette, and
    // rgba(255,255,255,0.7) in the dark palette, here made opaque over the dark surface #373740.
    private const string LightText = "#424242";
    private const string DarkText = "#c3c3c6";
    private const string LightSurface = "#ffffff";
    private const string DarkSurface = "#373740";
    private const string LightGrid = "rgba(0,0,0,0.12)";
    private const string DarkGrid = "rgba(255,255,255,0.14)";
    private const string LightAxisLine = "rgba(0,0,0,0.3)";
    private const string DarkAxisLine = "rgba(255,255,255,0.3)";

    // Plotly's default colorway is made for white paper. Its blue (#1f77b4) has a contrast of about 2.5:1 on the dark
    // surface, so the dark theme uses lighter tints of the same hues, each at least 3:1 (WCAG's minimum for graphics).
    private static readonly IList<object> DarkColorway =
    [
        "#6baed6", "#fdae6b", "#74c476", "#fc8d8d", "#bcbddc", "#d2a48c", "#f4a6d7", "#bdbdbd", "#dbdb8d", "#6dd3e0",
    ];

    /// <summary>Returns the colour of chart text in a theme.</summary>
    public static string TextColor(bool isDark) => isDark ? DarkText : LightText;

    /// <summary>Returns the colour behind a chart: the surface of the card it is drawn on.</summary>
    public static string SurfaceColor(bool isDark) => isDark ? DarkSurface : LightSurface;

    /// <summary>
    /// Sets the text, axis, grid and hover label colours of <paramref name="layout"/> for a theme, leaving its other
    /// settings as they are.
    /// </summary>
    public static void Apply(Plotly.Blazor.Layout layout, bool isDark)
    {
        var text = TextColor(isDark);
        var grid = isDark ? DarkGrid : LightGrid;
        var axisLine = isDark ? DarkAxisLine : LightAxisLine;

        layout.Font ??= new Font();
        layout.Font.Color = text;
        layout.Colorway = isDark ? DarkColorway : null;

        layout.HoverLabel ??= new HoverLabel();
        layout.HoverLabel.BgColor = SurfaceColor(isDark);
        layout.HoverLabel.BorderColor = axisLine;
        layout.HoverLabel.Font ??= new Plotly.Blazor.LayoutLib.HoverLabelLib.Font();
        layout.HoverLabel.Font.Color = text;

        layout.XAxis ??= [new XAxis()];
        foreach (var axis in layout.XAxis)
        {
            axis.Color = text;
            axis.GridColor = grid;
            axis.LineColor = axisLine;
            axis.ZeroLineColor = axisLine;
        }

        layout.YAxis ??= [new YAxis()];
        foreach (var axis in layout.YAxis)
        {
            axis.Color = text;
            axis.GridColor = grid;
            axis.LineColor = axisLine;
            axis.ZeroLineColor = axisLine;
        }
    }
}
