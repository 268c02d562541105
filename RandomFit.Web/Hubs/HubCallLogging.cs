using Microsoft.AspNetCore.SignalR;

namespace RandomFit.Web.Hubs;

/// <summary>
/// Hub filter that logs each failed hub call once, at a level that matches its cause. A <see cref="HubException"/>
/// means the hub rejected the caller's input (an unknown id), so it is logged at information level without a stack
/// trace. Any other exception is a server failure and is logged as an error. SignalR's dispatcher would log both as
/// errors, so where this filter is registered its category is limited to critical messages.
/// </summary>
public sealed partial class HubCallLogging(ILogger<HubCallLogging> logger) : IHubFilter
{
    /// <summary>The logging category of SignalR's hub dispatcher, whose error for every failed call this replaces.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException rejected)
        {
            LogRejected(logger, invocationContext.HubMethodName, Arguments(invocationContext), rejected.Message);
            throw;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogFailed(logger, failure, invocationContext.HubMethodName, Arguments(invocationContext), invocationContext.Context.ConnectionId);
            throw;
        }
    }

    // Only this app's hub has arguments worth logging (ids); Blazor's component hub may carry circuit secrets or
    // form data. Each argument is cut to 100 characters with control characters replaced, because the client
    // chooses it.
    private static string Arguments(HubInvocationContext invocationContext) =>
        invocationContext.Hub is RunsHub
            ? string.Join(", ", invocationContext.HubMethodArguments.Select(argument => Printable(argument?.ToString() ?? "null")))
            : "...";

    private static string Printable(string text)
    {
        var cut = text.Length > 100 ? text[..100] + "..." : text;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    [LoggerMessage(LogLevel.Information, "Hub call {Method}({Arguments}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, string arguments, string reason);

    [LoggerMessage(LogLevel.Error, "Hub call {Method}({Arguments}) failed on connection {ConnectionId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string arguments, string connectionId);
}
