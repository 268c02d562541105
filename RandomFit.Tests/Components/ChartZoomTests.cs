using System.Globalization;
using System.Text.Json;
using Plotly.Blazor.LayoutLib;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Components;

public sealed class ChartZoomTests
{
    [Fact]
    public void Update_BoxZoom_StoresBothRanges()
    {
        var zoom = new ChartZoom();

        var changed = zoom.Update(Changes("""{"xaxis.range[0]": 0, "xaxis.range[1]": 7.5, "yaxis.range[0]": -1, "yaxis.range[1]": -0.5}"""));

        Assert.True(changed);
        Assert.Equal(new AxisRange(0, 7.5), zoom.X);
        Assert.Equal(new AxisRange(-1, -0.5), zoom.Y);
    }

    [Fact]
    public void Update_RangeArray_StoresOrderedRange()
    {
        var zoom = new ChartZoom();

        zoom.Update(Changes("""{"yaxis.range": [2, -3]}"""));

        Assert.Null(zoom.X);
        Assert.Equal(new AxisRange(-3, 2), zoom.Y);
    }

    [Fact]
    public void Update_NestedAxis_StoresRange()
    {
        var zoom = new ChartZoom();

        zoom.Update(Changes("""{"xaxis": {"range": [3, 9]}}"""));

        Assert.Equal(new AxisRange(3, 9), zoom.X);
    }

    [Fact]
    public void Update_Autorange_ClearsOnlyThatAxis()
    {
        var zoom = new ChartZoom();
        zoom.Update(Changes("""{"xaxis.range": [1, 4], "yaxis.range": [-2, 0]}"""));

        var changed = zoom.Update(Changes("""{"xaxis.autorange": true}"""));

        Assert.True(changed);
        Assert.Null(zoom.X);
        Assert.Equal(new AxisRange(-2, 0), zoom.Y);
    }

    [Theory]
    [InlineData("""{"autosize": true}""")]
    [InlineData("""{"xaxis.range[0]": 2}""")]
    [InlineData("""{"xaxis.range": ["a", "b"]}""")]
    public void Update_NoCompleteRange_KeepsState(string json)
    {
        var zoom = new ChartZoom();

        var changed = zoom.Update(Changes(json));

        Assert.False(changed);
        Assert.Null(zoom.X);
        Assert.Null(zoom.Y);
    }

    [Theory]
    [InlineData(5.2, 7.8, 1.0)]
    [InlineData(0, 20, 5.0)]
    [InlineData(100, 190, 20.0)]
    public void Apply_ZoomedEpochs_StepFromZoomedSpan(double low, double high, double expected)
    {
        var axis = new XAxis();

        CurveAxes.Apply(axis, "epoch", 2000, new AxisRange(low, high));

        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Linear, axis.TickMode);
        Assert.Equal(0.0, Convert.ToDouble(axis.Tick0, CultureInfo.InvariantCulture));
        Assert.Equal(expected, Convert.ToDouble(axis.DTick, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Apply_ZoomUnderTwoEpochs_LeftToPlotly()
    {
        var axis = new XAxis();

        CurveAxes.Apply(axis, "epoch", 20, new AxisRange(5.2, 6.9));

        Assert.Null(axis.TickMode);
        Assert.Null(axis.DTick);
    }

    [Fact]
    public void ApplyLossTicks_Zoomed_TicksForZoomedRange()
    {
        var axis = new YAxis();

        CurveAxes.ApplyLossTicks(axis, [0.026, 1.6], new AxisRange(Math.Log10(0.2), Math.Log10(0.9)));

        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TickModeEnum.Array, axis.TickMode);
        Assert.Equal([0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7], axis.TickVals!.Cast<double>());
    }

    [Fact]
    public void ApplyLossTicks_NarrowZoom_LeftToPlotly()
    {
        var axis = new YAxis();

        CurveAxes.ApplyLossTicks(axis, [0.026, 1.6], new AxisRange(Math.Log10(0.25), Math.Log10(0.45)));

        Assert.Null(axis.TickMode);
        Assert.Null(axis.TickVals);
    }

    private static Dictionary<string, JsonElement> Changes(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
