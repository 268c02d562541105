using System.Text.Json;
using System.Text.Json.Serialization;

namespace RandomFit.Training.Specs;

/// <summary>
/// Reads a whole-number field whose default is 0 so that JSON null means the default, as leaving the field out
/// does. Any other value is read by the options' own int converter, so strict number handling still applies.
/// </summary>
public sealed class NullAsZeroConverter : JsonConverter<int>
{
    public override bool HandleNull => true;

    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        var converter = (JsonConverter<int>)options.GetConverter(typeof(int));
        return converter.Read(ref reader, typeToConvert, options);
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value);
}
