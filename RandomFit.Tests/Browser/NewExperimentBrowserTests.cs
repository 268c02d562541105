using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RandomFit.Tests.Browser;

/// <summary>Drives the dashboard in headless Chromium against the real app, training on the CPU.</summary>
[Collection(TorchCollection.Name)]
public sealed partial class NewExperimentBrowserTests
{
    // The page loads the first preset in place of an unknown one, and the address names it once the circuit is up,
    // while the prerendered page and the notice stay as they were.
    [Fact]
    public async Task NewExperiment_UnknownPreset_AddressNamesShownPreset()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new?preset=nope").ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.WaitForURLAsync(new Uri(host.BaseAddress, "/experiments/new?preset=article-example-1").ToString());
        var historyLength = await page.EvaluateAsync<int>("() => history.length");

        // The blank page that a new tab opens with, and this page: replacing the address added no entry.
        Assert.Equal(2, historyLength);
        Assert.StartsWith(
            "Ignored preset 'nope': use one of article-example-1, ",
            await page.TextContentAsync("[data-testid=query-problem]"));
    }

    [Fact]
    public async Task NewExperiment_ArticleExample3_RunPageCurveGrowsToHundredEpochs()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var api = new HttpClient { BaseAddress = host.BaseAddress };

        // A long run takes the only training slot, so the form's run waits in the queue until the page is open.
        // Article example 3 trains 100 epochs in about a second, which a page opened later could miss entirely.
        var blockerRunId = await StartBlockingRunAsync(api);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var policyViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                policyViolations.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");

        // Read once the circuit is connected: while it starts, the interactive head replaces the prerendered one.
        var formTitle = await page.TitleAsync();
        var titleElements = await page.Locator("title").CountAsync();
        await StartAsync(page);
        var queuedCount = await page.TextContentAsync("[data-testid=epoch-count]") ?? "";
        var cancelled = await api.PostAsync($"/api/runs/{blockerRunId}/cancel", null, TestContext.Current.CancellationToken);
        cancelled.EnsureSuccessStatusCode();
        var counts = await WatchEpochCountAsync(page, target: 100, TimeSpan.FromMinutes(3));

        Assert.Equal("New experiment · RandomFit", formTitle);
        Assert.Equal(1, titleElements);
        Assert.Matches(@"^\s*0 epochs", queuedCount);
        Assert.Equal(100, counts[^1]);
        Assert.True(counts.Distinct().Count() >= 2, $"The epoch count never grew while watched: {string.Join(", ", counts)}");
        Assert.Equal("100", await page.GetAttributeAsync("[data-testid=loss-chart]", "data-points"));
        await page.WaitForSelectorAsync("[data-testid=loss-chart] .main-svg .scatterlayer .trace");

        // The page opened while the run was queued, so these arrive with the run's start, not with the first load.
        var parameters = await page.TextContentAsync("[data-testid=parameter-count]") ?? "";
        Assert.Contains("209", parameters, StringComparison.Ordinal);
        var device = await page.TextContentAsync("[data-testid=device]") ?? "";
        Assert.Contains("cpu", device, StringComparison.Ordinal);
        Assert.Empty(policyViolations);
    }

    [Fact]
    public async Task NewExperiment_AddedCondition_CreatesRunsForIt()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var api = new HttpClient { BaseAddress = host.BaseAddress };
        var cancellationToken = TestContext.Current.CancellationToken;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");
        await page.Locator("[data-testid=add-condition]").ClickAsync();
        await page.Locator("[data-testid=add-condition]").ClickAsync();
        var name = page.Locator("input[data-path='spec.data.conditions[1].name']");
        await name.FillAsync("shuffled");
        await name.BlurAsync();
        await page.Locator("[data-path='spec.data.conditions[1].pixels']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "shuffled", Exact = true }).ClickAsync();
        await page.Locator("[data-path='spec.data.conditions[1].pixels']").GetByText("shuffled").WaitForAsync();
        var summary = await page.TextContentAsync("[data-testid=run-count]") ?? "";

        // With more than one run, Start opens the experiment's page.
        await StartAsync(page, ExperimentUrl());

        var experimentId = ExperimentUrl().Match(page.Url).Value["/experiments/".Length..];
        using var list = JsonDocument.Parse(await api.GetStringAsync("/api/experiments", cancellationToken));
        using var experiment = JsonDocument.Parse(await api.GetStringAsync($"/api/experiments/{experimentId}", cancellationToken));
        var conditions = experiment.RootElement.GetProperty("spec").GetProperty("data").GetProperty("conditions");
        var runConditions = experiment.RootElement.GetProperty("runs").EnumerateArray()
            .Select(item => item.GetProperty("condition").GetString())
            .ToList();

        Assert.Equal(1, list.RootElement.GetProperty("total").GetInt32());
        Assert.Equal("1 model × 2 conditions × 1 seed = 2 runs", summary.Trim());
        Assert.Equal(2, conditions.GetArrayLength());
        Assert.Equal("condition1", conditions[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, conditions[0].GetProperty("pixels").ValueKind);
        Assert.Equal("shuffled", conditions[1].GetProperty("name").GetString());
        Assert.Equal("shuffled", conditions[1].GetProperty("pixels").GetString());
        Assert.Equal(["condition1", "shuffled"], runConditions);
    }

    [Fact]
    public async Task NewExperiment_LongMessages_FitTheirFields()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");
        var epochs = page.Locator("input[data-path='spec.training.epochs']");
        await epochs.FillAsync("0");
        await epochs.BlurAsync();
        var kernel = page.Locator("input[data-path='spec.models[0].conv[0].kernel']");
        await kernel.FillAsync("20");
        await kernel.BlurAsync();
        await page.Locator("[data-testid=conv-messages-0-0]").WaitForAsync();
        await page.GetByText("(RandomFit:Limits:MaxEpochs)").WaitForAsync();

        // A message wider than its field is cut off by the helper line's overflow: hidden.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.mud-input-control-helper-container')]
                .filter(line => line.offsetParent !== null && line.scrollWidth > line.clientWidth + 1)
                .map(line => line.textContent.trim())
            """);
        var kernelBox = (await kernel.BoundingBoxAsync())!;
        var removeBox = (await page.Locator("[data-conv-index='0'] button[aria-label='Remove conv block']").BoundingBoxAsync())!;
        var removeMiddle = removeBox.Y + (removeBox.Height / 2);

        Assert.Empty(clipped);
        Assert.InRange(removeMiddle, kernelBox.Y, kernelBox.Y + kernelBox.Height);
    }

    // A parameter count that cannot be computed shows its message beside the model's name, and the name's column
    // shrank to one character, so "cnn" showed as three lines of one letter each.
    [Fact]
    public async Task NewExperiment_SummaryCountError_NameOnOneLine()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");
        var height = page.Locator("input[data-path='spec.data.shape.height']");
        await height.FillAsync("2000");
        await height.BlurAsync();
        var count = page.Locator("[data-testid=summary-count-0]");
        await count.Locator("text=Cannot count parameters").WaitForAsync();
        // One line box per line that the name's text takes.
        var nameLines = await count.EvaluateAsync<int>("""
            cell => {
                const range = document.createRange();
                range.selectNodeContents(cell.previousElementSibling);
                return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
            }
            """);

        Assert.Equal("cnn", (await count.EvaluateAsync<string>("cell => cell.previousElementSibling.textContent")).Trim());
        Assert.Equal(1, nameLines);
    }

    [Fact]
    public async Task NewExperiment_FieldLabels_ShowWholeText()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);

        // 1280 px is a common laptop width and 390 px a phone's. From MudBlazor's md breakpoint (960 px) to its lg
        // breakpoint (1280 px) the navigation drawer is open, so the form has least room at 960 px.
        foreach (var width in new[] { 1280, 1100, 960, 390 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
            await PickPresetAsync(page, "zhang-randomization");

            // A label longer than its field ends in an ellipsis, and its text is then wider than its box.
            var cutLabels = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('.mud-input-label')]
                    .filter(label => label.offsetParent !== null && label.scrollWidth > label.clientWidth + 1)
                    .map(label => label.textContent.trim())
                """);
            var visibleLabels = await page.EvaluateAsync<int>(
                "() => [...document.querySelectorAll('.mud-input-label')].filter(label => label.offsetParent !== null).length");

            Assert.True(cutLabels.Length == 0, $"At {width} px these labels are cut: {string.Join(", ", cutLabels)}");
            Assert.True(visibleLabels > 20, $"At {width} px only {visibleLabels} field labels are visible.");
            await page.CloseAsync();
        }
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task NewExperiment_KeyboardFocus_DrawsContrastingOutline(ColorScheme scheme)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = scheme,
        });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");
        var darkBody = await page.EvaluateAsync<bool>(
            "() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'");
        Assert.Equal(scheme == ColorScheme.Dark, darkBody);

        // The selected and an unselected preset chip, a button in the app bar and an outlined button.
        string[] formTargets =
        [
            "[data-preset='article-example-3']", "[data-preset='cnn-vs-mlp']",
            "button[aria-label='Toggle navigation']", "[data-testid=add-condition]",
        ];
        foreach (var target in formTargets)
        {
            await AssertFocusOutlineAsync(page, target);
        }

        // Blazor's own navigation keeps the circuit, so the run page is interactive once it shows.
        await StartAsync(page);
        await page.Locator("[data-testid=selected-x]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        // The selected item of a toggle group is filled with the primary colour, the other is not.
        await AssertFocusOutlineAsync(page, "button.mud-toggle-item-selected");
        await AssertFocusOutlineAsync(page, "button.mud-toggle-item:not(.mud-toggle-item-selected)");
    }

    private static async Task AssertFocusOutlineAsync(IPage page, string selector)
    {
        var outline = await FocusByKeyboardAsync(page, selector);

        Assert.True(outline.FocusVisible, $"{selector} did not match :focus-visible.");
        Assert.Equal("solid", outline.Style);
        Assert.True(outline.Width >= 2, $"{selector} has a {outline.Width} px outline.");
        Assert.True(outline.Contrast >= 3, $"{selector}'s outline has contrast {outline.Contrast:0.00} against {outline.Background}.");
    }

    [Fact]
    public async Task NewExperiment_FileInputs_LeavePresetAndLink()
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, "/experiments/new").ToString());
        await PickPresetAsync(page, "article-example-3");
        await WaitForAddressAsync(page, PresetLink().IsMatch, $"an address matching {PresetLink()}", TimeSpan.FromSeconds(30));
        await page.Locator("[data-path='spec.data.inputs']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "file", Exact = true }).ClickAsync();
        await WaitForAddressAsync(
            page, NewExperimentUrl().IsMatch, $"an address matching {NewExperimentUrl()}", TimeSpan.FromSeconds(30));
        await page.Locator("[data-testid=preset-edited]").WaitForAsync();

        var name = await page.Locator("input[data-path='spec.name']").InputValueAsync();
        var selectedChips = await page.Locator("[data-preset].mud-chip-color-primary").CountAsync();

        Assert.Equal("Untitled experiment", name);
        Assert.Equal(0, selectedChips);
    }

    private static async Task<string> StartBlockingRunAsync(HttpClient api)
    {
        var body = new
        {
            spec = new
            {
                name = "holds the training slot",
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 8 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 100_000 },
            },
        };
        var cancellationToken = TestContext.Current.CancellationToken;
        var response = await api.PostAsJsonAsync("/api/experiments", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return created.RootElement.GetProperty("runs")[0].GetProperty("id").GetString()!;
    }

    // Start is clicked once. Clicking again while the page stays on the form would create a second experiment
    // whenever the first click is only slow. Blazor navigates inside the page, so the URL is the signal.
    private static Task StartAsync(IPage page) => StartAsync(page, RunUrl());

    private static async Task StartAsync(IPage page, Regex opened)
    {
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.ClickAsync("[data-testid=start]");
        await WaitForAddressAsync(page, opened.IsMatch, $"Start to open {opened}", TimeSpan.FromSeconds(90));
    }

    // The address is polled rather than awaited with WaitForURLAsync. Blazor changes it inside the page, and
    // WaitForURLAsync waited out its whole timeout in CI runs, for a load event, although the address had changed.
    private static async Task WaitForAddressAsync(IPage page, Func<string, bool> matches, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!matches(page.Url) && DateTime.UtcNow < deadline)
        {
            await page.WaitForTimeoutAsync(100);
        }

        if (!matches(page.Url))
        {
            var shown = await page.InnerTextAsync("body");
            Assert.Fail($"Waited {timeout.TotalSeconds} s for {expected}; {page.Url} shows: {shown[..Math.Min(shown.Length, 3000)]}");
        }
    }

    private static async Task PickPresetAsync(IPage page, string presetId)
    {
        await DebianChromium.WaitUntilInteractiveAsync(page);
        await page.ClickAsync($"[data-preset='{presetId}']");
        await page.WaitForSelectorAsync($"[data-preset='{presetId}'].mud-chip-color-primary");

        // The page writes the preset into the address last, so the form has settled once the address names it.
        await WaitForAddressAsync(
            page,
            url => url.EndsWith($"?preset={presetId}", StringComparison.Ordinal),
            $"the address to name preset {presetId}",
            TimeSpan.FromSeconds(30));
    }

    // Tabs until the element matching selector has focus, so :focus-visible applies as it does for a keyboard user.
    // The outline is measured against the first background that is not transparent, which is the element's own for
    // an outline drawn inside it and an ancestor's otherwise.
    private static async Task<FocusOutline> FocusByKeyboardAsync(IPage page, string selector)
    {
        for (var press = 0; press < 150; press++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<bool>("selector => document.activeElement?.matches(selector) === true", selector);
            if (focused)
            {
                return await page.EvaluateAsync<FocusOutline>(MeasureFocusOutline);
            }
        }

        Assert.Fail($"Tab never reached {selector}.");
        return null!;
    }

    // Returns the focused element's outline style and width, and the WCAG 2.2 contrast ratio between the outline
    // colour (blended over the background when translucent) and the background its ancestors paint behind it.
    private const string MeasureFocusOutline = """
        () => {
            const element = document.activeElement;
            const parse = text => {
                const [r, g, b, a = 1] = text.match(/[\d.]+/g).map(Number);
                return { r, g, b, a };
            };
            const style = getComputedStyle(element);
            // Translucent backgrounds, such as a focus tint while it fades in, are layered over the first opaque one.
            const layers = [];
            const inside = parseFloat(style.outlineOffset) < 0;
            for (let node = inside ? element : element.parentElement; node; node = node.parentElement) {
                const color = getComputedStyle(node).backgroundColor;
                const parsed = parse(color);
                if (parsed.a > 0) {
                    layers.push({ ...parsed, text: color });
                }
                if (parsed.a >= 1) {
                    break;
                }
            }
            const backgroundText = layers.length === 0 ? 'the default white' : layers.map(layer => layer.text).join(' over ');
            let background = { r: 255, g: 255, b: 255, a: 1 };
            for (const layer of [...layers].reverse()) {
                for (const channel of ['r', 'g', 'b']) {
                    background[channel] = layer[channel] * layer.a + background[channel] * (1 - layer.a);
                }
            }
            const outline = parse(style.outlineColor);
            const blend = channel => outline[channel] * outline.a + background[channel] * (1 - outline.a);
            const linear = value => {
                const v = value / 255;
                return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            };
            const luminance = (r, g, b) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
            const first = luminance(blend('r'), blend('g'), blend('b'));
            const second = luminance(background.r, background.g, background.b);
            return {
                focusVisible: element.matches(':focus-visible'),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
                contrast: (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05),
                background: backgroundText,
            };
        }
        """;

    private sealed class FocusOutline
    {
        public bool FocusVisible { get; set; }

        public string Style { get; set; } = "";

        public double Width { get; set; }

        public double Contrast { get; set; }

        public string Background { get; set; } = "";
    }

    private static async Task<List<int>> WatchEpochCountAsync(IPage page, int target, TimeSpan timeout)
    {
        var counts = new List<int>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var text = await page.TextContentAsync("[data-testid=epoch-count]") ?? "";
            var count = int.Parse(EpochCount().Match(text).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            if (counts.Count == 0 || counts[^1] != count)
            {
                counts.Add(count);
            }

            if (count >= target)
            {
                return counts;
            }

            await page.WaitForTimeoutAsync(100);
        }

        Assert.Fail($"The run page reached {counts.LastOrDefault()} epochs of {target} in {timeout}.");
        return counts;
    }

    [GeneratedRegex(@"/runs/[A-Za-z0-9_-]+")]
    private static partial Regex RunUrl();

    [GeneratedRegex(@"/experiments/(?!new$)[A-Za-z0-9_-]+$")]
    private static partial Regex ExperimentUrl();

    [GeneratedRegex(@"/experiments/new\?preset=article-example-3$")]
    private static partial Regex PresetLink();

    [GeneratedRegex(@"/experiments/new$")]
    private static partial Regex NewExperimentUrl();

    [GeneratedRegex(@"([\d,]+) epochs?\b")]
    private static partial Regex EpochCount();
}
