namespace RandomFit.Web.Components.Layout;

/// <summary>
/// The browser's theme cookies, read on the server while a page prerenders, so the first paint already has the
/// theme. <see cref="ChoiceName"/> stores the reader's own choice, and <see cref="SystemName"/> the system's
/// colour scheme last seen by the page, used only while no choice is stored.
/// </summary>
public static class ThemeCookie
{
    /// <summary>Name of the cookie that stores the theme the reader picked with the app bar's button.</summary>
    public const string ChoiceName = "RandomFit.Theme";

    /// <summary>Name of the cookie that stores the system's colour scheme (prefers-color-scheme) last seen.</summary>
    public const string SystemName = "RandomFit.SystemTheme";

    /// <summary>
    /// Name of the client hint header that carries the system's colour scheme. Chromium-based browsers send it after
    /// a response requests it, so even a first visit can prerender in the system's scheme.
    /// </summary>
    public const string SystemHintHeader = "Sec-CH-Prefers-Color-Scheme";

    public const string Dark = "dark";

    public const string Light = "light";

    /// <summary>Returns true for <c>dark</c>, false for <c>light</c> and null for a missing or unknown value.</summary>
    public static bool? ParseIsDark(string? value) => value switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };

    /// <summary>Returns the cookie value of a theme.</summary>
    public static string ValueOf(bool isDark) => isDark ? Dark : Light;

    /// <summary>Returns <c>dark</c> or <c>light</c> from the client hint's value, quoted or not, or null for any other value.</summary>
    public static string? ParseHint(string? value)
    {
        var unquoted = value?.Trim().Trim('"');
        return ParseIsDark(unquoted) is { } isDark ? ValueOf(isDark) : null;
    }
}
