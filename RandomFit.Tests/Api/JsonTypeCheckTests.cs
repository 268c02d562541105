using System.Buffers;
using System.Text.Json;
using RandomFit.Tests.Reliability;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Tests.Api;

public sealed class JsonTypeCheckTests
{
    [Fact]
    public void FindErrors_ManyFaults_ReportsEach()
    {
        var body = """
            {"spec": {"data": {"classes": "ten", "shape": {"channels": 1, "depth": 2}},
             "models": [{"name": "m", "kind": "rnn", "dense": [4, "8", null]}],
             "training": {"epochs": 1.5, "batchSize": true}, "seeds": {}}, "extra": null}
            """;

        var errors = Check<CreateExperimentRequest>(body);

        Assert.Equal(["Expected a whole number as a JSON number; got the string \"ten\"."], errors["spec.data.classes"]);
        Assert.Equal(
            ["Unknown property 'depth'. Property names are case-sensitive; allowed here: channels, height, width."],
            errors["spec.data.shape.depth"]);
        Assert.Equal(["Expected one of \"cnn\", \"mlp\"; got the string \"rnn\"."], errors["spec.models[0].kind"]);
        Assert.Equal(["Expected a whole number as a JSON number; got the string \"8\"."], errors["spec.models[0].dense[1]"]);
        Assert.Equal(["Expected a whole number as a JSON number; got null."], errors["spec.models[0].dense[2]"]);
        Assert.Equal(
            ["Expected a whole number; got the number 1.5."],
            errors["spec.training.epochs"]);
        Assert.Equal(["Expected a whole number as a JSON number; got true."], errors["spec.training.batchSize"]);
        Assert.Equal(["Expected an array; got an object."], errors["spec.seeds"]);
        Assert.Equal(
            ["Unknown property 'extra'. Property names are case-sensitive; allowed here: preset, spec, name, seeds."],
            errors["extra"]);
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void FindErrors_NullKnownProperties_Pass()
    {
        var body = """
            {"preset": null, "name": null, "seeds": null,
             "spec": {"data": {"classes": null, "testSamples": null, "pixels": null, "conditions": [null]},
             "models": [null, {"dropout": null, "init": null, "conv": [{"padding": null, "poolSize": null}]}],
             "training": {"epochs": null, "optimizer": null, "momentum": null}}}
            """;

        var errors = Check<CreateExperimentRequest>(body);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("cnn, mlp")]
    [InlineData(" cnn")]
    [InlineData("CNN")]
    [InlineData("0")]
    public void FindErrors_EnumNotExactName_IsError(string kind)
    {
        var body = $$"""{"models": [{"kind": {{JsonSerializer.Serialize(kind)}}}]}""";

        var errors = Check<ExperimentSpec>(body);

        Assert.Equal(
            [$"Expected one of \"cnn\", \"mlp\"; got the string {JsonSerializer.Serialize(kind)}."],
            errors["models[0].kind"]);
    }

    [Fact]
    public void FindErrors_ManyWrongItems_ListsFirstHundred()
    {
        var body = "{\"seeds\": [" + string.Join(", ", Enumerable.Repeat("\"1\"", 300)) + "]}";

        var errors = Check<ExperimentSpec>(body);

        Assert.Equal(101, errors.Count);
        Assert.Contains("seeds[99]", errors.Keys);
        Assert.DoesNotContain("seeds[100]", errors.Keys);
        Assert.Equal(
            ["The request body has errors at more than 100 paths, and only the first 100 are listed. "
                + "Fix them and send the body again to see the rest."],
            errors["$"]);
    }

    [Fact]
    public void FindErrors_IgnoredProperty_IsUnknown()
    {
        var errors = Check<ExperimentSpec>("""{"effectiveSeeds": [1]}""");

        Assert.StartsWith("Unknown property 'effectiveSeeds'.", Assert.Single(errors["effectiveSeeds"]));
    }

    [Fact]
    public void FindErrors_LoneSurrogateName_ReportsObject()
    {
        var errors = Check<ExperimentSpec>("""{"data": {"\ud800": 1}}""");

        Assert.Equal(
            ["Expected property names of valid Unicode characters; a name here contains an unpaired surrogate escape."],
            errors["data"]);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a.b")]
    [InlineData("a'b")]
    [InlineData("$ref")]
    [InlineData("x[0]")]
    [InlineData("plain")]
    public void FindErrors_OddPropertyName_KeyedAsDeserializerPath(string name)
    {
        var body = """{"data": {"shape": {""" + JsonSerializer.Serialize(name) + ": 1}}}";
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ExperimentSpec>(body, SpecJson.Options));

        var errors = Check<ExperimentSpec>(body);

        Assert.Equal(JsonTypeCheck.KeyOf(exception.Path!), Assert.Single(errors).Key);
    }

    /// <summary>
    /// Compares the check with deserialization on thousands of mutated bodies: whatever deserialization rejects,
    /// the check reports under the same key with the same message, and whatever the check passes deserializes.
    /// </summary>
    [Fact]
    public void FindErrors_GeneratedBodies_AgreeWithDeserializer()
    {
        var inputs = new FuzzInputs(seed: 7301);
        var validBodies = Presets.All
            .Select(preset => JsonSerializer.Serialize(new { spec = preset.Spec, seeds = new[] { 1 } }, SpecJson.Options))
            .ToList();
        var compared = 0;
        var failures = new List<string>();

        for (var i = 0; i < 3000; i++)
        {
            var body = inputs.InvalidExperimentBody(validBodies[i % validBodies.Count]);
            JsonDocument document;
            try
            {
                // Encoded as an HTTP client sends it, with a lone surrogate character replaced by U+FFFD.
                document = JsonDocument.Parse(System.Text.Encoding.UTF8.GetBytes(body));
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                compared++;
                var failure = Compare(document.RootElement);
                if (failure is not null)
                {
                    failures.Add($"#{i} {failure}: {body[..Math.Min(body.Length, 300)]}");
                }
            }
        }

        Assert.True(compared > 1000, $"only {compared} bodies were objects");
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Take(20)));
    }

    private static string? Compare(JsonElement root)
    {
        var errors = JsonTypeCheck.FindErrors(typeof(CreateExperimentRequest), root, SpecJson.Options);
        try
        {
            root.Deserialize<CreateExperimentRequest>(SpecJson.Options);
        }
        catch (JsonException exception)
        {
            var (key, message) = JsonErrorText.Explain(typeof(CreateExperimentRequest), root, exception);

            // Deserialization rejects null on a property of a non-nullable type, which the check passes on purpose.
            if (IsNullProperty(root, exception.Path) && !errors.ContainsKey(key))
            {
                return errors.Count > 0 || DeserializesWithoutNulls(root) ? null : "check passed a null that still fails";
            }

            return errors.TryGetValue(key, out var messages) && messages.Contains(message)
                ? null
                : $"deserializer: {key}: {message}; check: {string.Join(" | ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}";
        }

        return errors.Count == 0 ? null : $"deserializer passed, check: {string.Join(" | ", errors.Keys)}";
    }

    private static bool IsNullProperty(JsonElement root, string? path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText());
        var segments = System.Text.RegularExpressions.Regex.Matches(path ?? "", @"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]");
        var parentIsObject = false;
        foreach (System.Text.RegularExpressions.Match segment in segments)
        {
            parentIsObject = segment.Groups["name"].Success;
            node = parentIsObject ? node?[segment.Groups["name"].Value] : node?[int.Parse(segment.Groups["index"].Value)];
        }

        return parentIsObject && node is null;
    }

    private static bool DeserializesWithoutNulls(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonTypeCheck.WriteWithoutNullProperties(root, writer);
        }

        try
        {
            JsonSerializer.Deserialize<CreateExperimentRequest>(buffer.WrittenSpan, SpecJson.Options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Dictionary<string, List<string>> Check<T>(string body)
    {
        using var document = JsonDocument.Parse(body);
        return JsonTypeCheck.FindErrors(typeof(T), document.RootElement, SpecJson.Options);
    }
}
