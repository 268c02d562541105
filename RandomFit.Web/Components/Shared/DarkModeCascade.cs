namespace RandomFit.Web.Components.Shared;

/// <summary>
/// The name of the cascading value, set by the main layout, that is true while the page shows the dark theme.
/// Components that draw their own colours, such as Plotly charts, read it with
/// <c>[CascadingParameter(Name = DarkModeCascade.Name)]</c>.
/// </summary>
public static class DarkModeCascade
{
    public const string Name = "IsDarkMode";
}
