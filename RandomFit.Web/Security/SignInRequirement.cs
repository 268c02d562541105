using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace RandomFit.Web.Security;

/// <summary>
/// Decides once whether starting, cancelling and deleting runs needs a signed-in user. With <c>auto</c>, sign-in
/// is required as soon as one configured or bound address is reachable from beyond this machine.
/// </summary>
public sealed partial class SignInRequirement(
    IOptions<AuthOptions> options,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<SignInRequirement> logger)
{
    private readonly Lock _lock = new();
    private bool? _required;

    /// <summary>Whether mutating requests need sign-in. The first read decides and logs it.</summary>
    public bool Required
    {
        get
        {
            lock (_lock)
            {
                return _required ??= Decide();
            }
        }
    }

    private bool Decide()
    {
        var mode = options.Value.ParseRequireSignIn()
            ?? throw new InvalidOperationException($"{AuthOptions.Section}:RequireSignIn is invalid.");
        if (mode != SignInMode.Auto)
        {
            var required = mode == SignInMode.Always;
            LogFixed(logger, required ? "required" : "not required", options.Value.RequireSignIn);
            return required;
        }

        var addresses = ListenAddresses().ToList();
        var remote = addresses.Where(address => !IsLoopback(address)).ToList();
        if (remote.Count > 0)
        {
            LogRequiredForRemote(logger, string.Join(", ", remote));
            return true;
        }

        LogOpenOnLoopback(logger, addresses.Count == 0 ? "the default http://localhost:5000" : string.Join(", ", addresses));
        return false;
    }

    // Configured URLs (--urls, ASPNETCORE_URLS, Kestrel endpoints) and whatever the server reports as bound.
    private IEnumerable<string> ListenAddresses()
    {
        var configured = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [];
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"])
            .OfType<string>();
        // Looked up only here, so a fixed setting needs no server (component tests have none).
        var server = services.GetService<IServer>();
        var bound = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return configured.Concat(endpoints).Concat(bound).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether a listen address accepts only local connections. Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>,
    /// <c>[::]</c>) and host names other than <c>localhost</c> bind every interface, so they count as remote.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        var host = HostOf(address);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string HostOf(string address)
    {
        var start = address.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? address : address[(start + 3)..];
        var end = rest.IndexOf('/');
        var authority = end < 0 ? rest : rest[..end];
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            return close < 0 ? authority : authority[..(close + 1)];
        }

        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    [LoggerMessage(LogLevel.Information, "Sign-in to start, cancel or delete runs: {Decision}, because RequireSignIn is {Setting}")]
    private static partial void LogFixed(ILogger logger, string decision, string setting);

    [LoggerMessage(LogLevel.Information,
        "Sign-in to start, cancel or delete runs: required, because the server listens beyond loopback on {Addresses}")]
    private static partial void LogRequiredForRemote(ILogger logger, string addresses);

    [LoggerMessage(LogLevel.Information,
        "Sign-in to start, cancel or delete runs: not required, because the server listens on loopback only ({Addresses})")]
    private static partial void LogOpenOnLoopback(ILogger logger, string addresses);
}
