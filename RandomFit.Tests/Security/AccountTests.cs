using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RandomFit.Tests.Web;
using RandomFit.Web.Security;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Security;

/// <summary>The account commands, bearer tokens and the login form with sign-in required.</summary>
[Collection(TorchCollection.Name)]
public sealed class AccountTests : IAsyncLifetime
{
    private readonly RecordingLog _log = new();

    private readonly RandomFitHostFactory _host;

    public AccountTests() => _host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
    {
        ["RandomFit:Auth:RequireSignIn"] = "true",
    }) { Log = _log };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bearer_ValidToken_StartsAndDeletesExperiment()
    {
        await Accounts.CreateUserAsync(_host, "alice");
        var token = await Accounts.CreateTokenAsync(_host, "alice");
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var created = await client.PostAsync(
            "/api/experiments", Json(JsonSerializer.Serialize(TestSpecs.TinyMlp(epochs: 1))), Cancellation);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Cancellation)).RootElement
            .GetProperty("id").GetString();
        var deleted = await client.DeleteAsync($"/api/experiments/{id}", Cancellation);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task CreateToken_StandardOutput_IsTokenLineOnly()
    {
        await Accounts.CreateUserAsync(_host, "alice");

        var (exitCode, output, _) = await Accounts.RunCommandAsync(_host, "", AccountCommands.CreateToken, "alice");

        // The README captures the token with TOKEN=$(... create-token alice), which keeps all of standard output.
        Assert.Equal(0, exitCode);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(' ', output.Trim());
    }

    [Fact]
    public async Task Bearer_WrongToken_Returns401()
    {
        await Accounts.CreateUserAsync(_host, "alice");
        var token = await Accounts.CreateTokenAsync(_host, "alice");
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");

        var response = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "The bearer token is unknown. " + RunStarterPolicy.InvalidTokenFix,
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CreateToken_StoresOnlyTheHash()
    {
        await Accounts.CreateUserAsync(_host, "alice");

        var token = await Accounts.CreateTokenAsync(_host, "alice");

        await using var scope = _host.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().ApiTokens
            .Select(t => t.Hash)
            .SingleAsync(Cancellation);
        Assert.StartsWith("rf_", token, StringComparison.Ordinal);
        Assert.Equal(ApiTokens.Hash(token), stored);
        Assert.NotEqual(token, stored);
    }

    [Fact]
    public async Task CreateToken_UnknownUser_Fails()
    {
        var (exitCode, output, error) = await Accounts.RunCommandAsync(_host, "", AccountCommands.CreateToken, "nobody");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("User 'nobody' not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_NoPassword_Fails()
    {
        var (exitCode, _, error) = await Accounts.RunCommandAsync(_host, "", AccountCommands.CreateUser, "alice");

        Assert.Equal(1, exitCode);
        Assert.Contains("No password on standard input", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_ShortPassword_FailsWithIdentityMessage()
    {
        var (exitCode, _, error) = await Accounts.RunCommandAsync(_host, "short\n", AccountCommands.CreateUser, "alice");

        Assert.Equal(1, exitCode);
        Assert.Contains("at least 8 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_RightPassword_CookieStartsRuns()
    {
        await Accounts.CreateUserAsync(_host, "alice");
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var login = await Accounts.PostLoginAsync(client, "alice", Accounts.Password);
        var create = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/experiments", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
    }

    [Fact]
    public async Task Login_LongUserName_ShortenedInLog()
    {
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var userName = new string('u', 10_000);

        var login = await Accounts.PostLoginAsync(client, userName, "wrong password");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(
            _log.Entries,
            entry => entry.Message == $"Sign-in failed for user '{userName[..64]}…' (10,000 characters): invalid user name or password");
    }

    [Fact]
    public async Task Login_WrongPassword_StaysAnonymous()
    {
        await Accounts.CreateUserAsync(_host, "alice");
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var login = await Accounts.PostLoginAsync(client, "alice", "wrong password");
        var create = await client.PostAsync("/api/experiments", Json("{}"), Cancellation);
        var page = await client.GetStringAsync(login.Headers.Location!.OriginalString, Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/account/login?error=invalid", login.Headers.Location.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Contains("Invalid user name or password.", page, StringComparison.Ordinal);
        Assert.Contains(_log.Entries, entry => entry.Message == "Sign-in failed for user 'alice': invalid user name or password");
        Assert.DoesNotContain(_log.Entries, entry => entry.Message.Contains("wrong password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Rejected()
    {
        await Accounts.CreateUserAsync(_host, "alice");
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "alice",
            ["password"] = Accounts.Password,
        });

        var login = await client.PostAsync(AccountEndpoints.LoginPath, form, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    // Browsers drop tabs and line breaks from a URL, so "/\t/evil.example" would lead to //evil.example.
    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\r\n/evil.example/")]
    public async Task Login_ForeignReturnUrl_RedirectsHome(string returnUrl)
    {
        await Accounts.CreateUserAsync(_host, "alice");
        using var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync(AccountEndpoints.LoginPath, Cancellation);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["userName"] = "alice",
            ["password"] = Accounts.Password,
            ["returnUrl"] = returnUrl,
        });

        var login = await client.PostAsync(AccountEndpoints.LoginPath, form, Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
    }
}
