using RandomFit.Web.Components.Layout;

namespace RandomFit.Tests.Web;

/// <summary>The theme of a page's prerendered HTML, the first paint, from the theme cookies of the request.</summary>
[Collection(TorchCollection.Name)]
public sealed class ThemePrerenderTests : HostTestBase
{
    [Theory]
    [InlineData(null, null, null, "light")]
    [InlineData("dark", null, null, "dark")]
    [InlineData("light", null, null, "light")]
    [InlineData(null, "dark", null, "dark")]
    [InlineData("light", "dark", null, "light")]
    [InlineData("dark", "light", null, "dark")]
    [InlineData("purple", null, null, "light")]
    [InlineData(null, null, "\"dark\"", "dark")]
    [InlineData(null, "light", "\"dark\"", "dark")]
    [InlineData(null, "dark", "\"light\"", "light")]
    [InlineData("light", null, "\"dark\"", "light")]
    [InlineData(null, null, "\"purple\"", "light")]
    [InlineData(null, "dark", "\"purple\"", "dark")]
    public async Task PrerenderedPage_UsesThemeCookiesAndHint(string? choice, string? system, string? hint, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        if (hint is not null)
        {
            request.Headers.Add(ThemeCookie.SystemHintHeader, hint);
        }

        var cookies = new List<string>();
        if (choice is not null)
        {
            cookies.Add($"{ThemeCookie.ChoiceName}={choice}");
        }

        if (system is not null)
        {
            cookies.Add($"{ThemeCookie.SystemName}={system}");
        }

        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies));
        }

        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains($"data-theme=\"{expected}\"", html);
        // MudBlazor writes the palette as CSS variables; the dark palette's background is rgba(50,51,61,1) in MudBlazor 9.14.
        Assert.Equal(expected == "dark", html.Contains("--mud-palette-background: rgba(50,51,61,1);", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PageResponse_RequestsColourSchemeHint()
    {
        var response = await Client.GetAsync("/runs", TestContext.Current.CancellationToken);

        Assert.Equal(["Sec-CH-Prefers-Color-Scheme"], response.Headers.GetValues("Accept-CH"));
        Assert.Equal(["Sec-CH-Prefers-Color-Scheme"], response.Headers.GetValues("Critical-CH"));
        Assert.Contains("Sec-CH-Prefers-Color-Scheme", response.Headers.Vary);
    }
}
