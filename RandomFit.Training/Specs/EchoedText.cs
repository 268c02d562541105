using System.Globalization;
using System.Text;

namespace RandomFit.Training.Specs;

/// <summary>
/// Client-given text (ids, names, property names, query values) as error messages, notices and log lines repeat it.
/// Text longer than <see cref="MaxLength"/> characters is cut there, so a 100 KB preset id makes a short message.
/// </summary>
public static class EchoedText
{
    /// <summary>Maximum characters (Unicode scalar values) of client-given text that a message repeats.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Returns <paramref name="text"/> between two <paramref name="quote"/> characters, such as 'nope'. Longer text
    /// is cut to its first <see cref="MaxLength"/> characters, followed by an ellipsis inside the quotes and the full
    /// length after them, such as 'pppp…' (100,000 characters).
    /// </summary>
    public static string Quote(string text, char quote = '\'') =>
        Cut(text) is { } shown ? $"{quote}{shown}…{quote} ({Length(text)})" : $"{quote}{text}{quote}";

    /// <summary>
    /// Returns <paramref name="text"/>, or for longer text its first <see cref="MaxLength"/> characters, an ellipsis
    /// and the full length, such as pppp… (100,000 characters), for messages that name a value without quotes.
    /// </summary>
    public static string Format(string text) => Cut(text) is { } shown ? $"{shown}… ({Length(text)})" : text;

    /// <summary>
    /// Returns <paramref name="text"/>, or its first <see cref="MaxLength"/> characters and an ellipsis when it is
    /// longer, for places such as error keys where a length in brackets would read as part of the text.
    /// </summary>
    public static string Shorten(string text) => Cut(text) is { } shown ? shown + "…" : text;

    private static string Length(string text) =>
        text.EnumerateRunes().Count().ToString("N0", CultureInfo.InvariantCulture) + " characters";

    // Returns the first MaxLength characters, or null when the text has no more than that. A character beyond the
    // BMP counts once and is never split, and an unpaired surrogate counts as one character.
    private static string? Cut(string text)
    {
        if (text.Length <= MaxLength)
        {
            return null;
        }

        var end = 0;
        for (var count = 0; count < MaxLength && end < text.Length; count++)
        {
            Rune.DecodeFromUtf16(text.AsSpan(end), out _, out var used);
            end += used;
        }

        return end < text.Length ? text[..end] : null;
    }
}
