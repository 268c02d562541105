using System.Text.Encodings.Web;
using System.Text.Json;
using RandomFit.Training.Specs;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Components;

public sealed class ReadableJsonTests
{
    [Theory]
    [InlineData("café", "\"café\"")]
    [InlineData("fit \U0001F600", "\"fit \U0001F600\"")]
    [InlineData("\U0001D518", "\"\U0001D518\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("a\nb\r\tc", "\"a\\nb\\r\\tc\"")]
    [InlineData("\u0001\u007F\u0085", "\"\\u0001\\u007F\\u0085\"")]
    [InlineData("a\u200Bb\uFEFF", "\"a\\u200Bb\\uFEFF\"")]
    [InlineData("ab\u202Ecd", "\"ab\\u202Ecd\"")]
    [InlineData("\U0001F468\u200D\U0001F469 \u0645\u06CC\u200C\u062E", "\"\U0001F468\u200D\U0001F469 \u0645\u06CC\u200C\u062E\"")]
    [InlineData("a\u2028b\u2029", "\"a\\u2028b\\u2029\"")]
    [InlineData("tag\U000E0041", "\"tag\\uDB40\\uDC41\"")]
    public void Quote_Text_EscapesOnlyHiddenCharacters(string text, string expected)
    {
        Assert.Equal(expected, ReadableJson.Quote(text));
    }

    // Attribute arguments cannot carry an unpaired surrogate, because the compiler stores them as UTF-8.
    [Fact]
    public void Quote_UnpairedSurrogate_ReplacementCharacter()
    {
        Assert.Equal("\"\uFFFDx\"", ReadableJson.Quote("\uD800x"));
    }

    [Fact]
    public void Serialize_AsciiSpec_MatchesIndentedSerializer()
    {
        var spec = Presets.Find("cnn-vs-mlp")!.Spec;
        var indented = new JsonSerializerOptions(SpecJson.Options)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        Assert.Equal(JsonSerializer.Serialize(spec, indented), ReadableJson.Serialize(spec, SpecJson.Options));
    }

    [Fact]
    public void Serialize_SmallNumbers_ReadCompactAndRoundTrip()
    {
        var preset = Presets.Find("article-example-3")!.Spec;
        var spec = preset with { Training = preset.Training! with { LearningRate = 1e-6, WeightDecay = 2.5e-7 } };

        var text = ReadableJson.Serialize(spec, SpecJson.Options);
        var read = JsonSerializer.Deserialize<ExperimentSpec>(text, SpecJson.Options)!;

        Assert.Contains("\"learningRate\": 1e-6,", text);
        Assert.Contains("\"weightDecay\": 2.5e-7,", text);
        Assert.Equal(1e-6, read.Training!.LearningRate);
        Assert.Equal(2.5e-7, read.Training!.WeightDecay);
    }

    [Fact]
    public void Serialize_EmojiName_RoundTrips()
    {
        var spec = Presets.Find("article-example-1")!.Spec with { Name = "fit \U0001F600 \"now\" \\ 𝔘" };

        var text = ReadableJson.Serialize(spec, SpecJson.Options);
        var read = JsonSerializer.Deserialize<ExperimentSpec>(text, SpecJson.Options)!;

        Assert.Contains("\"name\": \"fit \U0001F600 \\\"now\\\" \\\\ 𝔘\"", text);
        Assert.Equal(spec.Name, read.Name);
    }
}
