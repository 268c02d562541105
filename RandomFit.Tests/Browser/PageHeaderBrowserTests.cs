using Microsoft.Playwright;

namespace RandomFit.Tests.Browser;

/// <summary>The title and button at the top of the list pages on a phone-sized screen.</summary>
[Collection(TorchCollection.Name)]
public sealed class PageHeaderBrowserTests
{
    // The smallest space in pixels between the title and a button on the same row.
    private const double MinGap = 8;

    // At 390 px the title "Experiments" and the New experiment button did not fit one row, so the button's label
    // wrapped onto two lines and the button touched the end of the title.
    [Theory]
    [InlineData("/", "Dashboard", "New experiment")]
    [InlineData("/experiments", "Experiments", "New experiment")]
    [InlineData("/workers", "Workers", "Refresh")]
    public async Task Header_PhoneWidth_ButtonKeepsOneLineClearOfTitle(string address, string title, string button)
    {
        DebianChromium.SkipUnlessInstalled();

        await using var host = new BrowserHost();
        host.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(host.BaseAddress, address).ToString());
        await DebianChromium.WaitUntilInteractiveAsync(page);
        var titleBox = await BoundsAsync(page.Locator("h4", new PageLocatorOptions { HasTextString = title }));
        var buttonLocator = page.Locator(".mud-main-content .mud-button-root", new PageLocatorOptions { HasTextString = button }).First;
        var buttonBox = await BoundsAsync(buttonLocator);
        var labelLines = await buttonLocator.Locator(".mud-button-label").EvaluateAsync<int>(
            "label => Math.round(label.getBoundingClientRect().height / parseFloat(getComputedStyle(label).lineHeight))");

        Assert.Equal(1, labelLines);
        var sameRow = buttonBox.Y < titleBox.Y + titleBox.Height && titleBox.Y < buttonBox.Y + buttonBox.Height;
        if (sameRow)
        {
            var gap = buttonBox.X - (titleBox.X + titleBox.Width);
            Assert.True(gap >= MinGap, $"The button starts {gap:0.0} px after the title, less than {MinGap} px.");
        }

        Assert.True(buttonBox.X + buttonBox.Width <= 390, $"The button ends at {buttonBox.X + buttonBox.Width:0.0} px, past the screen.");
    }

    // The bounds of the text itself for the title, whose block spans the row, and of the box for anything else.
    private static async Task<LocatorBoundingBoxResult> BoundsAsync(ILocator locator)
    {
        var bounds = await locator.EvaluateAsync<double[]>("""
            element => {
                const range = document.createRange();
                range.selectNodeContents(element);
                const box = element.tagName === 'H4' ? range.getBoundingClientRect() : element.getBoundingClientRect();
                return [box.x, box.y, box.width, box.height];
            }
            """);
        return new LocatorBoundingBoxResult { X = (float)bounds[0], Y = (float)bounds[1], Width = (float)bounds[2], Height = (float)bounds[3] };
    }
}
