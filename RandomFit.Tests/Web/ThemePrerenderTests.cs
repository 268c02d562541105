using RandomFit.Web.Components.Layout;

namespace RandomFit.Tests.Web;

/// <summary>The theme of a page's prerendered HTML, the first paint, from the theme cookies of the request.</summary>
[Collection(TorchCollection.Name)]
public sealed class ThemePrerenderTests : HostTestBase
{
    [Theory]
    [InlineData(null, null, "light")]
    [InlineData("dark", null, "dark")]
    [InlineData("light", null, "light")]
    [InlineData(null, "dark", "dark")]
    [InlineData("light", "dark", "light")]
    [InlineData("dark", "light", "dark")]
    [InlineData("purple", null, "light")]
    public async Task PrerenderedPage_UsesThemeCookies(string? choice, string? system, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
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
}
