using System.Net;
using System.Security.Claims;

namespace RandomFit.Web.Security;

/// <summary>
/// Who is starting runs in the current request or circuit event, as a rate-limit partition: the user id when
/// signed in, else the remote address. It flows with the async call, so services that create runs can read it
/// without taking a request parameter.
/// </summary>
public static class RunStarter
{
    /// <summary>The partition for work that comes from no request, such as start-up.</summary>
    public const string Local = "local";

    private static readonly AsyncLocal<string?> Partition = new();

    public static string Current
    {
        get => Partition.Value ?? Local;
        set => Partition.Value = value;
    }

    /// <summary>Returns the partition of a user, or of the address when the user is anonymous.</summary>
    public static string PartitionOf(ClaimsPrincipal? user, IPAddress? address)
    {
        var userId = user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        if (userId is not null)
        {
            return "user:" + userId;
        }

        return address is null ? Local : "address:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
