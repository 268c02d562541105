using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using RandomFit.Web.Components.Pages.Compare;
using RandomFit.Web.Components.Pages.Experiments;
using RandomFit.Web.Components.Shared;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

/// <summary>
/// The colours of every Plotly chart under the light and the dark theme, and their redraw when the theme switches.
/// The theme reaches a page as the cascading value that the main layout sets.
/// </summary>
public sealed class ChartThemeTests : ComponentTestBase
{
    private const string LightText = "#424242";
    private const string DarkText = "#c3c3c6";

    // The component under test, kept so that a theme switch renders the same child content again: CascadingValue
    // resets a parameter that a later render leaves out.
    private RenderFragment _content = _ => { };

    private IRenderedComponent<CascadingValue<bool>> RenderThemed<TComponent>(
        string uri, bool isDark, params (string Name, object Value)[] attributes)
        where TComponent : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        _content = builder =>
        {
            builder.OpenComponent<TComponent>(0);
            foreach (var (name, value) in attributes)
            {
                builder.AddAttribute(1, name, value);
            }

            builder.CloseComponent();
        };
        return Render<CascadingValue<bool>>(cascade => cascade
            .Add(value => value.Name, DarkModeCascade.Name)
            .Add(value => value.Value, isDark)
            .Add(value => value.ChildContent, _content));
    }

    private void SwitchTheme(IRenderedComponent<CascadingValue<bool>> root, bool isDark) =>
        root.Render(cascade => cascade
            .Add(value => value.Name, DarkModeCascade.Name)
            .Add(value => value.Value, isDark)
            .Add(value => value.ChildContent, _content));

    private static void AssertThemed(Plotly.Blazor.Layout layout, string text)
    {
        Assert.Equal(text, layout.Font?.Color);
        Assert.Equal(text, layout.HoverLabel?.Font?.Color);
        Assert.NotNull(layout.HoverLabel?.BgColor);
        Assert.All(layout.XAxis!, axis => Assert.Equal(text, axis.Color));
        Assert.All(layout.YAxis!, axis => Assert.Equal(text, axis.Color));
        Assert.All(layout.XAxis!, axis => Assert.NotNull(axis.GridColor));
        Assert.All(layout.YAxis!, axis => Assert.NotNull(axis.GridColor));
    }

    private int ReactCalls() =>
        JSInterop.Invocations.Count(invocation => invocation.Identifier.EndsWith("react", StringComparison.Ordinal));

    [Fact]
    public void ExperimentCharts_DarkTheme_LightTextAndLines()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6)),
            Run("cnn-1", "e1", "cnn", 1, Epoch(1, 0.6), Epoch(2, 0.8)));

        var root = RenderThemed<ExperimentPage>("/experiments/e1?group=none", true, ("Id", "e1"));
        root.WaitForAssertion(() => Assert.NotEmpty(root.FindComponents<PlotlyChart>()));
        var chart = root.FindComponents<PlotlyChart>()[0].Instance;

        AssertThemed(chart.Layout, DarkText);
        var colors = chart.Data.OfType<Scatter>().Select(trace => (string?)trace.Line?.Color).ToList();
        Assert.All(colors, color => Assert.EndsWith("68%)", color));
    }

    [Fact]
    public void ExperimentCharts_ThemeSwitch_RedrawsMountedCharts()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("cnn-0", "e1", "cnn", 0, Epoch(1, 0.5), Epoch(2, 0.6)));
        var root = RenderThemed<ExperimentPage>("/experiments/e1", false, ("Id", "e1"));
        root.WaitForAssertion(() => Assert.NotEmpty(root.FindComponents<PlotlyChart>()));
        var before = root.FindComponents<PlotlyChart>()[0].Instance;
        AssertThemed(before.Layout, LightText);
        var reactsBefore = ReactCalls();

        SwitchTheme(root, true);

        var after = root.FindComponents<PlotlyChart>()[0].Instance;
        Assert.Same(before, after);
        AssertThemed(after.Layout, DarkText);
        var mean = after.Data.OfType<Scatter>().Single(trace => trace.Name == "mean");
        Assert.StartsWith("rgba(140, 170, 255", (string?)mean.Line?.Color);
        root.WaitForAssertion(() => Assert.True(ReactCalls() > reactsBefore, "The theme switch sent no react call."));
    }

    [Fact]
    public void CompareChart_ThemeSwitch_RedrawsWithThemeColours()
    {
        Store(Experiments, Runs, "e1", Spec(),
            Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)),
            Run("a2", "e1", "mlp", 0, Epoch(1, 0.9)));
        var root = RenderThemed<ComparePage>("/compare?runs=a1,a2", false);
        root.WaitForAssertion(() => Assert.Single(root.FindComponents<PlotlyChart>()));
        AssertThemed(root.FindComponent<PlotlyChart>().Instance.Layout, LightText);
        Assert.Null(root.FindComponent<PlotlyChart>().Instance.Layout.Colorway);
        var reactsBefore = ReactCalls();

        SwitchTheme(root, true);

        var layout = root.FindComponent<PlotlyChart>().Instance.Layout;
        AssertThemed(layout, DarkText);
        Assert.NotNull(layout.Colorway);
        // The hover label keeps its full run names.
        Assert.Equal(-1, layout.HoverLabel?.NameLength);
        root.WaitForAssertion(() => Assert.True(ReactCalls() > reactsBefore, "The theme switch sent no react call."));
    }

    [Fact]
    public void LearningCurves_ThemeSwitch_RedrawsWithThemeColours()
    {
        IReadOnlyList<RandomFit.Training.Training.EpochMetrics> epochs = [TestRuns.Epoch(1), TestRuns.Epoch(2)];
        var root = RenderThemed<LearningCurves>("/runs/r1", false, ("Epochs", epochs), ("Version", 1));
        var curves = root.FindComponent<LearningCurves>().Instance;
        Assert.All(curves.Layouts, layout => AssertThemed(layout, LightText));

        SwitchTheme(root, true);

        Assert.All(curves.Layouts, layout => AssertThemed(layout, DarkText));
        Assert.All(curves.Layouts, layout => Assert.NotNull(layout.Colorway));
        root.WaitForAssertion(() => Assert.True(ReactCalls() > 0, "The theme switch sent no react call."));
    }
}
