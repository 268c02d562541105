using RandomFit.Web.Security;

namespace RandomFit.Web;

/// <summary>The text printed for <c>--help</c>, <c>-h</c> or <c>-?</c> instead of starting the server.</summary>
public static class CommandLineHelp
{
    public static readonly string Text = string.Join(
        '\n',
        "RandomFit: train CNNs and MLPs on random data and compare them live.",
        "",
        "Usage:",
        "  RandomFit.Web [--urls URL] [--Section:Key=value ...]",
        "      start the dashboard (default http://localhost:5000)",
        $"  RandomFit.Web {AccountCommands.CreateUser} NAME",
        "      create a user; the password is read from standard input",
        $"  RandomFit.Web {AccountCommands.CreateToken} NAME",
        "      print a new API token for the user",
        "",
        "Settings are read from appsettings.json, environment variables (RandomFit__Training__Device=cpu) and",
        "arguments (--RandomFit:Training:Device=cpu). The README lists every setting.",
        "");

    /// <summary>Returns whether any argument requests help, in any position.</summary>
    public static bool IsRequested(string[] args) => args.Any(argument => argument is "--help" or "-h" or "-?");
}
