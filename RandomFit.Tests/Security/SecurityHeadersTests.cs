using RandomFit.Tests.Web;

namespace RandomFit.Tests.Security;

[Collection(TorchCollection.Name)]
public sealed class SecurityHeadersTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/api/experiments")]
    [InlineData("/api/runs/zzzzzzzzzz")]
    [InlineData("/healthz")]
    public async Task Response_AnyPath_CarriesSecurityHeaders(string path)
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync(path, Cancellation);
        var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ImportMap_CarriesTheResponseNonce()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var response = await client.GetAsync("/", Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);
        var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;

        Assert.NotEmpty(nonce);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", html, StringComparison.Ordinal);
    }
}
