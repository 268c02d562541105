using System.Text.Json;
using RandomFit.Training.Specs;
using RandomFit.Web.Nodes;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Nodes;

/// <summary>Run events as the Redis bridge writes them to its channel and reads them back on another node.</summary>
public sealed class RunEventMessageTests
{
    [Fact]
    public void ExperimentDeleted_RoundTrip_SameEvent()
    {
        var sent = new ExperimentDeletedEvent("exp-1");

        var json = JsonSerializer.Serialize(RunEventMessage.From("node-a", sent), SpecJson.Options);
        var message = JsonSerializer.Deserialize<RunEventMessage>(json, SpecJson.Options)!;

        Assert.Equal("experimentDeleted", message.Kind);
        Assert.Equal("node-a", message.Node);
        Assert.Equal(sent, message.ToEvent());
    }

    [Fact]
    public void RunAdded_RoundTrip_SameEvent()
    {
        var sent = new RunAddedEvent("run-1", "exp-1");

        var json = JsonSerializer.Serialize(RunEventMessage.From("node-a", sent), SpecJson.Options);

        Assert.Equal(sent, JsonSerializer.Deserialize<RunEventMessage>(json, SpecJson.Options)!.ToEvent());
    }

    [Fact]
    public void UnknownKind_ReadAsNoEvent()
    {
        var message = new RunEventMessage("node-a", "somethingNew", "run-1", "exp-1");

        Assert.Null(message.ToEvent());
    }
}
