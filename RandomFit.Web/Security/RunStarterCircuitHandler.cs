using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace RandomFit.Web.Security;

/// <summary>
/// Sets <see cref="RunStarter.Current"/> for each event of a Blazor circuit, so runs started from a page count
/// against the signed-in user, or against the address the circuit connected from.
/// </summary>
public sealed class RunStarterCircuitHandler(
    AuthenticationStateProvider authentication,
    IHttpContextAccessor httpContextAccessor) : CircuitHandler
{
    private System.Net.IPAddress? _address;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The circuit's connection request, when the transport keeps it. Without it, anonymous page users
        // share the "local" partition.
        _address = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress;
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(
        Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            RunStarter.Current = RunStarter.PartitionOf(state.User, _address);
            await next(context);
        };
}
