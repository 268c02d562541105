using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Web;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Api;

/// <summary>How the JSON bodies of POST endpoints are read: every type error at once, and null as left out.</summary>
[Collection(TorchCollection.Name)]
public sealed class RequestBodyTests : HostTestBase
{
    private const string TrainingNames =
        "epochs, batchSize, optimizer, learningRate, momentum, nesterov, weightDecay, execution, dataSeed, initSeed, orderSeed";

    [Fact]
    public async Task Post_TypeErrorsAndUnknown_ReturnsEach()
    {
        // classes 1 is out of range, but ranges are checked only once every value has the right type.
        var body = """
            {"spec": {"data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 4, "classes": 1},
             "models": [{"name": "m", "kind": "mlp"}],
             "training": {"epochs": "ten", "batchSize": true, "colour": "red"}}}
            """;

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);

        Assert.Equal(["Expected a whole number as a JSON number; got the string \"ten\"."], errors["spec.training.epochs"]);
        Assert.Equal(["Expected a whole number as a JSON number; got true."], errors["spec.training.batchSize"]);
        Assert.Equal(
            [$"Unknown property 'colour'. Property names are case-sensitive; allowed here: {TrainingNames}."],
            errors["spec.training.colour"]);
        Assert.Equal(3, errors.Count);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_RangeErrorsOnly_ReturnsAllOfThem()
    {
        var body = """
            {"spec": {"data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 4, "classes": 1},
             "models": [{"name": "m", "kind": "mlp"}], "training": {"epochs": 1, "batchSize": 0}}}
            """;

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Classes must be between 2 and 1,000; got 1."], errors["spec.data.classes"]);
        Assert.Single(errors["spec.training.batchSize"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task Post_NullDefaults_SameSpecAsLeftOut()
    {
        var withNulls = """
            {"spec": {"name": "defaults",
             "data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 8, "testSamples": null,
              "classes": null, "inputs": null, "labels": null, "corruption": null, "corruptTest": null, "pixels": null,
              "standardize": null, "file": null, "conditions": null},
             "models": [
              {"name": "m", "kind": "mlp", "hidden": [4], "dropout": null, "batchNorm": null, "init": null,
               "globalPool": null, "weightDecay": null, "dense": null},
              {"name": "c", "kind": "cnn", "conv": [{"filters": 2, "kernel": 3, "padding": null, "pool": null, "poolSize": null}]}],
             "training": {"epochs": 1, "batchSize": null, "optimizer": null, "learningRate": null, "momentum": null,
              "nesterov": null, "weightDecay": null, "execution": null, "dataSeed": null},
             "seeds": null}}
            """;
        var leftOut = """
            {"spec": {"name": "defaults",
             "data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 8},
             "models": [
              {"name": "m", "kind": "mlp", "hidden": [4]},
              {"name": "c", "kind": "cnn", "conv": [{"filters": 2, "kernel": 3}]}],
             "training": {"epochs": 1}}}
            """;

        var first = await Client.PostAsync("/api/experiments", Json(withNulls), Cancellation);
        var second = await Client.PostAsync("/api/experiments", Json(leftOut), Cancellation);
        var firstSpec = await Client.GetStringAsync($"{first.Headers.Location}/spec", Cancellation);
        var secondSpec = await Client.GetStringAsync($"{second.Headers.Location}/spec", Cancellation);
        using var spec = JsonDocument.Parse(firstSpec);
        var data = spec.RootElement.GetProperty("data");
        var training = spec.RootElement.GetProperty("training");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(secondSpec, firstSpec);
        Assert.Equal(2, data.GetProperty("classes").GetInt32());
        Assert.Equal(32, training.GetProperty("batchSize").GetInt32());
        Assert.Equal("adam", training.GetProperty("optimizer").GetString());
        Assert.Equal(0, training.GetProperty("momentum").GetDouble());
        Assert.Equal(0, spec.RootElement.GetProperty("models")[0].GetProperty("dropout").GetDouble());
    }

    [Fact]
    public async Task Post_DuplicateProperties_KeyedByPath()
    {
        // The second "epochs" is written as "\u0065pochs", which JSON reads as the same name.
        var body = """
            {"name": "a", "spec": {"data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 4},
             "models": [{"name": "m", "kind": "mlp"}], "training": {"epochs": 1, "\u0065pochs": 2, "epochs": 3}},
             "name": "b"}
            """;

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/experiments", Cancellation);

        Assert.Equal(
            ["Property 'epochs' appears more than once in this object; give each property once."],
            errors["spec.training.epochs"]);
        Assert.Equal(["Property 'name' appears more than once in this object; give each property once."], errors["name"]);
        Assert.Equal(2, errors.Count);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_NullRequiredEpochs_Returns400Required()
    {
        var body = """
            {"spec": {"data": {"shape": {"channels": 1, "height": 4, "width": 4}, "trainSamples": 4},
             "models": [{"name": "m", "kind": "mlp"}], "training": {"epochs": null}}}
            """;

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Epochs is required: give a whole number from 1 to 100,000 (RandomFit:Limits:MaxEpochs)."],
            errors["spec.training.epochs"]);
        Assert.Single(errors);
    }

    [Fact]
    public async Task Post_NullUnknownProperty_Returns400NamingIt()
    {
        var body = """
            {"preset": "article-example-3", "colour": null,
             "spec": {"training": {"epoch": null}}}
            """;

        var response = await Client.PostAsync("/api/experiments", Json(body), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(
            ["Unknown property 'colour'. Property names are case-sensitive; allowed here: preset, spec, name, seeds."],
            errors["colour"]);
        Assert.Equal(
            [$"Unknown property 'epoch'. Property names are case-sensitive; allowed here: {TrainingNames}."],
            errors["spec.training.epoch"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task AddSeeds_TypeErrors_ReturnsEach()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var response = await Client.PostAsync(
            $"/api/experiments/{created.Id}/seeds", Json("""{"seeds": [3, "4", null], "seed": null}"""), Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(["Expected a whole number as a JSON number; got the string \"4\"."], errors["seeds[1]"]);
        Assert.Equal(["Expected a whole number as a JSON number; got null."], errors["seeds[2]"]);
        Assert.Equal(["Unknown property 'seed'. Property names are case-sensitive; allowed here: seeds."], errors["seed"]);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public async Task AddSeeds_NullSeeds_SameAsLeftOut()
    {
        var created = await Host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 1));

        var nullResponse = await Client.PostAsync($"/api/experiments/{created.Id}/seeds", Json("""{"seeds": null}"""), Cancellation);
        var emptyResponse = await Client.PostAsync($"/api/experiments/{created.Id}/seeds", Json("{}"), Cancellation);
        var nullErrors = await ReadValidationErrorsAsync(nullResponse);
        var emptyErrors = await ReadValidationErrorsAsync(emptyResponse);

        Assert.Equal(["Give at least one new seed, for example {\"seeds\": [5, 6]}."], nullErrors["seeds"]);
        Assert.Equal(emptyErrors, nullErrors);
    }
}
