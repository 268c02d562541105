using System.Globalization;
using System.Text;
using System.Text.Json;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Indented JSON for people to read on a page, with every printable character written as itself. The encoders of
/// System.Text.Json in .NET 10, <c>UnsafeRelaxedJsonEscaping</c> included, always write characters beyond the BMP
/// (emoji, for one) as <c>\u</c> surrogate pairs, so string values are quoted here instead. Numbers with an exponent
/// are written as <see cref="SpecNumber.Format"/> writes them.
/// </summary>
/// <remarks>
/// The text is not HTML-safe by itself. Razor encodes it when a page renders it as text, so show it only that way.
/// </remarks>
public static class ReadableJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Serializes <paramref name="value"/> with <paramref name="options"/>, then writes it indented.</summary>
    public static string Serialize<T>(T value, JsonSerializerOptions options)
    {
        var element = JsonSerializer.SerializeToElement(value, options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, element);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Property names keep the writer's default escaping, because every property of the types shown is an ASCII
    // camelCase name.
    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteRawValue(Quote(element.GetString()!));
                break;
            case JsonValueKind.Number when element.GetRawText().Contains('E', StringComparison.OrdinalIgnoreCase):
                // System.Text.Json writes 1e-6 as 1E-06, so numbers with an exponent read as on the other pages.
                writer.WriteRawValue(SpecNumber.Format(element.GetDouble()));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// Quotes <paramref name="text"/> as a JSON string. Only the quote, the backslash and characters that show nothing
    /// or move the text around them (controls, line and paragraph separators, and format characters such as
    /// zero-width spaces and direction overrides) are escaped. An unpaired surrogate becomes U+FFFD.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                default:
                    AppendCharacter(quoted, rune);
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private static void AppendCharacter(StringBuilder quoted, Rune rune)
    {
        if (!IsHidden(rune))
        {
            quoted.Append(rune.ToString());
            return;
        }

        Span<char> units = stackalloc char[2];
        var count = rune.EncodeToUtf16(units);
        foreach (var unit in units[..count])
        {
            quoted.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
        }
    }

    // The joiner and non-joiner (U+200D, U+200C) are format characters too, but they are shown as they are, because
    // names may use them inside emoji sequences and words.
    private static bool IsHidden(Rune rune) =>
        Rune.IsControl(rune)
        || (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format && rune.Value is not (0x200C or 0x200D))
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
