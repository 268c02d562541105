using System.Net;
using System.Text.RegularExpressions;
using RandomFit.Tests.Web;
using RandomFit.Web.Security;

namespace RandomFit.Tests.Security;

/// <summary>Runs the account commands against a test host and signs in through the login form.</summary>
internal static partial class Accounts
{
    public const string Password = "correct horse battery";

    /// <summary>Runs an account command and returns its exit code with what it wrote to standard output and error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(
        RandomFitHostFactory host,
        string standardInput,
        params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AccountCommands.RunAsync(host.Services, args, new StringReader(standardInput), output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    public static async Task CreateUserAsync(RandomFitHostFactory host, string name, string password = Password)
    {
        var (exitCode, _, error) = await RunCommandAsync(host, password + "\n", AccountCommands.CreateUser, name);
        Assert.True(exitCode == 0, $"create-user {name} exited {exitCode}: {error}");
    }

    public static async Task<string> CreateTokenAsync(RandomFitHostFactory host, string name)
    {
        var (exitCode, output, error) = await RunCommandAsync(host, "", AccountCommands.CreateToken, name);
        Assert.True(exitCode == 0, $"create-token {name} exited {exitCode}: {error}");
        return output.Trim();
    }

    /// <summary>Posts the login form the way a browser does, with the page's antiforgery token and cookie.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string name, string password)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync(AccountEndpoints.LoginPath, cancellation);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "The login page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["userName"] = name,
            ["password"] = password,
            ["returnUrl"] = "/experiments",
        });
        return await client.PostAsync(AccountEndpoints.LoginPath, form, cancellation);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
