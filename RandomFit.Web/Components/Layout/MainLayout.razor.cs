using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using RandomFit.Training.Devices;

namespace RandomFit.Web.Components.Layout;

public partial class MainLayout(DeviceSelector deviceSelector, IJSRuntime js) : IAsyncDisposable
{
    // Text on the light status colours of both themes and on the dark theme's primary colour.
    private const string DarkOnColour = "rgba(0,0,0,0.87)";

    private readonly MudTheme _theme = new()
    {
        // MudBlazor 9.14's dark palette puts text below WCAG's 4.5:1 on its own surfaces: primary links (#776be7, 2.8:1),
        // secondary text (50% white, 4.2:1), white on the status colours (2.5:1 on success) and the error colour as text
        // (3.5:1). These values keep its hues and reach at least 4.5:1.
        PaletteDark = new PaletteDark
        {
            Primary = "#a59ef7",
            PrimaryContrastText = DarkOnColour,
            TextSecondary = "rgba(255,255,255,0.62)",
            Info = "#3299ff",
            InfoContrastText = DarkOnColour,
            Success = "#0bba83",
            SuccessContrastText = DarkOnColour,
            Warning = "#ffa800",
            WarningContrastText = DarkOnColour,
            Error = "#ff7585",
            ErrorContrastText = DarkOnColour,
        },
        // In the light palette, white on the success colour (#00c853) has 2.2:1 and on the warning colour 2.2:1, so
        // those take dark text. White on a darker red than the default #f44336 (3.7:1) reaches 5:1.
        PaletteLight = new PaletteLight
        {
            SuccessContrastText = DarkOnColour,
            WarningContrastText = DarkOnColour,
            Error = "#d32f2f",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };

    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeModule;
    private bool _isDarkMode;
    private bool _hasChoice;
    private bool _drawerOpen = true;
    private bool _isConnected;

    /// <summary>The theme cookies of the page request; a page rendered without <c>Routes</c> (a test) gets none.</summary>
    [CascadingParameter]
    public ThemePreference? ThemePreference { get; set; }

    private string DeviceName => deviceSelector.Name;

    protected override void OnInitialized()
    {
        _isDarkMode = ThemePreference?.IsDark ?? false;
        _hasChoice = ThemePreference?.HasChoice ?? false;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (_themeProvider is not null && !_hasChoice)
        {
            // Without a stored choice the page follows the system's colour scheme, also when it changes while open.
            // The callback is registered before the first read because MudThemeProvider (MudBlazor 9.14) drops
            // changes that arrive while no callback is registered, and storing the first read's cookie takes a
            // round trip. NOTE: the provider starts its browser listener after this read is sent, so a change in
            // between is still missed.
            await _themeProvider.WatchSystemDarkModeAsync(ApplySystemDarkModeAsync);
            await ApplySystemDarkModeAsync(await _themeProvider.GetSystemDarkModeAsync());
        }

        // The prerendered page carries data-interactive="false". Clicks made before it turns "true" are lost.
        _isConnected = true;
        StateHasChanged();
    }

    private async Task ApplySystemDarkModeAsync(bool isDark)
    {
        if (_hasChoice)
        {
            return;
        }

        // The theme changes before the cookie is stored, so a read that finishes after a newer change cannot undo it.
        if (_isDarkMode != isDark)
        {
            _isDarkMode = isDark;
            await InvokeAsync(StateHasChanged);
        }

        // Remembered so that the next page prerenders in the system's scheme when the browser sends no hint.
        await StoreCookieAsync(ThemeCookie.SystemName, ThemeCookie.ValueOf(isDark));
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        // The cookie is stored before the page switches, so a reload right after the switch already prerenders it.
        _hasChoice = true;
        await StoreCookieAsync(ThemeCookie.ChoiceName, ThemeCookie.ValueOf(!_isDarkMode));
        _isDarkMode = !_isDarkMode;
    }

    private async Task StoreCookieAsync(string name, string value)
    {
        try
        {
            _themeModule ??= await js.InvokeAsync<IJSObjectReference>("import", "./theme.js");
            await _themeModule.InvokeVoidAsync("storeThemeCookie", name, value);
        }
        catch (JSDisconnectedException)
        {
            // The tab closed, so no page is left to store the cookie for.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_themeModule is not null)
        {
            try
            {
                await _themeModule.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}
