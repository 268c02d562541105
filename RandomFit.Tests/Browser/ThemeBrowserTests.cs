using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Layout;

namespace RandomFit.Tests.Browser;

/// <summary>The theme choice across reloads and tabs, the system's colour scheme, and text contrast in both themes.</summary>
[Collection(TorchCollection.Name)]
public sealed class ThemeBrowserTests
{
    // WCAG 2.2's minimum contrast for normal text (success criterion 1.4.3).
    private const double MinContrast = 4.5;

    // Returns the visible text under `selectors` whose colour has less than `min` contrast with what lies behind it.
    // The background composes each ancestor's background colour up to the first opaque one, over white. SVG text
    // (Plotly's) is measured against the chart's container, because Plotly's paper is transparent.
    private const string LowContrastScript = """
        ([selectors, min]) => {
            const parse = c => {
                const m = c.match(/rgba?\(([^)]+)\)/);
                if (!m) return null;
                const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
                return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
            };
            const blend = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
            const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            const luminance = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
            const background = el => {
                const layers = [];
                for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
                    const b = parse(getComputedStyle(e).backgroundColor);
                    if (b && b[3] > 0) { layers.push(b); if (b[3] >= 1) break; }
                }
                let c = [255, 255, 255, 1];
                for (let i = layers.length - 1; i >= 0; i--) c = blend(layers[i], c);
                return c;
            };
            const found = [];
            for (const el of document.querySelectorAll(selectors)) {
                const text = (el.textContent || '').trim();
                const box = el.getBoundingClientRect();
                // Disabled controls are exempt from the contrast minimum.
                if (!text || box.width === 0 || box.height === 0 || el.closest('[disabled], .mud-disabled')) continue;
                const style = getComputedStyle(el);
                const svg = el instanceof SVGElement;
                const color = parse(svg ? style.fill : style.color);
                if (!color) continue;
                const back = background(svg ? el.closest('.js-plotly-plot') : el);
                const fore = blend([color[0], color[1], color[2], color[3] * Number(style.opacity || 1)], back);
                const l1 = luminance(fore), l2 = luminance(back);
                const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
                if (ratio < min) {
                    found.push(`${text.slice(0, 40)} [${el.getAttribute('class') || el.tagName}] ratio ${ratio.toFixed(2)}`);
                }
            }
            return found;
        }
        """;

    private const string TextSelectors =
        ".rf-grid td, .rf-grid th, .rf-scale-mark, [data-status], .mud-chip, .mud-alert-message, .rf-mono, pre, code, "
        + ".mud-table-cell, .mud-typography, .js-plotly-plot svg text, a, button, label, .mud-input-helper-text";

    private static async Task<IPage> OpenAsync(IBrowser browser, BrowserNewContextOptions options, string? theme)
    {
        var context = await browser.NewContextAsync(options);
        if (theme is not null)
        {
            await context.AddCookiesAsync([new Cookie { Name = ThemeCookie.ChoiceName, Value = theme, Url = "http://127.0.0.1" }]);
        }

        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private static Task<string?> ThemeAsync(IPage page) =>
        page.GetAttributeAsync("[data-testid=theme-toggle]", "data-theme");

    private static async Task ToggleToDarkAsync(IPage page)
    {
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForSelectorAsync("[data-testid=theme-toggle][data-theme=dark]");
    }

    [Fact]
    public async Task ThemeToggle_ReloadAndNewTab_KeepDark()
    {
        DebianChromium.SkipUnlessInstalled();
        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await OpenAsync(browser, new BrowserNewContextOptions { ColorScheme = ColorScheme.Light }, null);
        await page.GotoAsync(new Uri(host.BaseAddress, "/runs").ToString());
        await page.WaitForSelectorAsync("[data-testid=theme-toggle][data-theme=light]");

        await ToggleToDarkAsync(page);
        var reload = await page.ReloadAsync();
        var reloadedHtml = await reload!.TextAsync();
        var tab = await page.Context.NewPageAsync();
        var tabResponse = await tab.GotoAsync(new Uri(host.BaseAddress, "/experiments").ToString());
        var tabHtml = await tabResponse!.TextAsync();

        // The prerendered HTML, the first paint, already carries the dark theme.
        Assert.Contains("data-theme=\"dark\"", reloadedHtml);
        Assert.Contains("data-theme=\"dark\"", tabHtml);
        await tab.WaitForSelectorAsync("[data-testid=theme-toggle][data-theme=dark]");
        Assert.Equal("dark", await ThemeAsync(page));
    }

    [Fact]
    public async Task SystemDarkScheme_NoChoice_FollowsSystem()
    {
        DebianChromium.SkipUnlessInstalled();
        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        // Emulating the scheme changes only CSS media queries, so the browser itself runs dark to send the hint.
        await using var browser = await DebianChromium.LaunchAsync(playwright, systemDark: true);
        var page = await OpenAsync(browser, new BrowserNewContextOptions { ColorScheme = ColorScheme.Dark }, null);

        var first = await page.GotoAsync(new Uri(host.BaseAddress, "/runs").ToString());
        var firstHtml = await first!.TextAsync();
        await page.WaitForSelectorAsync("[data-testid=theme-toggle][data-theme=dark]");
        var second = await page.GotoAsync(new Uri(host.BaseAddress, "/experiments").ToString());
        var secondHtml = await second!.TextAsync();

        // The scheme is switched once the page is interactive, because MudThemeProvider starts listening to the
        // browser's scheme only after the page's first read of it, and a switch in between is missed.
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });

        // Chromium sends the colour scheme hint on the first request, after the Critical-CH retry.
        Assert.Contains("data-theme=\"dark\"", firstHtml);
        Assert.Contains("data-theme=\"dark\"", secondHtml);
        await page.WaitForSelectorAsync("[data-testid=theme-toggle][data-theme=light]");
    }

    [Theory]
    [InlineData("dark", 1280)]
    [InlineData("dark", 390)]
    [InlineData("light", 1280)]
    [InlineData("light", 390)]
    public async Task EveryPage_TextContrastAtLeast45(string theme, int width)
    {
        DebianChromium.SkipUnlessInstalled();
        await using var host = new BrowserHost();
        host.StartServer();
        var (experimentId, runIds) = await CreateRunsAsync(host.BaseAddress);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await OpenAsync(
            browser, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } }, theme);
        string[] paths =
        [
            "/",
            "/experiments",
            "/experiments/new",
            $"/experiments/{experimentId}?metric=nosuchmetric",
            $"/experiments/{experimentId}?group=none",
            "/runs",
            $"/runs/{runIds[0]}",
            $"/runs/{runIds[1]}",
            $"/compare?runs={string.Join(',', runIds)}",
            "/claims",
            "/workers",
        ];

        var failures = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(new Uri(host.BaseAddress, path).ToString());
            await page.WaitForSelectorAsync($"[data-testid=theme-toggle][data-theme={theme}]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var found = await page.EvaluateAsync<string[]>(LowContrastScript, new object[] { TextSelectors, MinContrast });
            failures.AddRange(found.Distinct().Select(text => $"{path}: {text}"));
        }

        Assert.True(failures.Count == 0, $"Text below 4.5:1 in the {theme} theme:\n" + string.Join('\n', failures));
    }

    // A completed experiment of two seeds, and a long run cancelled, so the pages show two statuses.
    private static async Task<(string ExperimentId, string[] RunIds)> CreateRunsAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var cancellation = TestContext.Current.CancellationToken;
        var response = await client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 3, seeds: [0, 1]), cancellation);
        var created = JsonSerializer.Deserialize<ExperimentCreated>(
            await response.Content.ReadAsStringAsync(cancellation), SpecJson.Options)!;
        var longResponse = await client.PostAsJsonAsync("/api/experiments", TestSpecs.TinyMlp(epochs: 100_000), cancellation);
        var longCreated = JsonSerializer.Deserialize<ExperimentCreated>(
            await longResponse.Content.ReadAsStringAsync(cancellation), SpecJson.Options)!;
        var cancel = await client.PostAsync($"/api/runs/{longCreated.Runs[0].Id}/cancel", null, cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.StatusCode);
        foreach (var run in created.Runs.Concat(longCreated.Runs))
        {
            await BrowserHost.WaitForFinalAsync(client, run.Id);
        }

        return (created.Id, [.. created.Runs.Select(run => run.Id)]);
    }
}
