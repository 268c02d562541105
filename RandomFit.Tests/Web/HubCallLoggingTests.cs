using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Web;

public sealed class HubCallLoggingTests
{
    [Fact]
    public async Task InvokeMethod_ServerFailure_LogsErrorAndRethrows()
    {
        var log = new RecordingLog();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(log));
        var filter = new HubCallLogging(factory.CreateLogger<HubCallLogging>());
        var failure = new InvalidOperationException("store unavailable");
        var invocation = new HubInvocationContext(
            new CallerContext("connection-1"),
            new ServiceCollection().BuildServiceProvider(),
            new RunsHub(null!),
            typeof(RunsHub).GetMethod(nameof(RunsHub.WatchRun))!,
            ["run-1\n" + new string('x', 200)]);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => filter.InvokeMethodAsync(invocation, _ => throw failure).AsTask());

        var entry = Assert.Single(log.Entries);
        Assert.Same(failure, thrown);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal($"Hub call WatchRun(run-1?{new string('x', 94)}...) failed on connection connection-1", entry.Message);
        Assert.Same(failure, entry.Exception);
    }

    // The caller details a hub filter reads; a hub call always has them.
    private sealed class CallerContext(string connectionId) : HubCallerContext
    {
        public override string ConnectionId => connectionId;

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
