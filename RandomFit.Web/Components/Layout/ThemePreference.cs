namespace RandomFit.Web.Components.Layout;

/// <summary>
/// The theme cookies of the request that prerendered the page. They reach the interactive render as a parameter of
/// the root component, because a circuit has no HTTP request to read them from.
/// </summary>
/// <param name="Choice">The reader's stored choice, <c>dark</c> or <c>light</c>, or null when none is stored.</param>
/// <param name="System">The system's colour scheme that the page saw last, or null.</param>
public sealed record ThemePreference(string? Choice, string? System)
{
    /// <summary>Whether the reader picked a theme, which then overrides the system's colour scheme.</summary>
    public bool HasChoice => ThemeCookie.ParseIsDark(Choice) is not null;

    /// <summary>The theme of the first paint: the stored choice, else the system's last seen scheme, else light.</summary>
    public bool IsDark => ThemeCookie.ParseIsDark(Choice) ?? ThemeCookie.ParseIsDark(System) ?? false;
}
