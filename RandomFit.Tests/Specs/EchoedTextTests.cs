using RandomFit.Training.Specs;

namespace RandomFit.Tests.Specs;

public sealed class EchoedTextTests
{
    private static readonly string SixtyFour = new('a', 64);

    [Fact]
    public void Quote_ShortText_Unchanged()
    {
        Assert.Equal("'nope'", EchoedText.Quote("nope"));
        Assert.Equal("\"nope\"", EchoedText.Quote("nope", '"'));
        Assert.Equal("''", EchoedText.Quote(""));
    }

    [Fact]
    public void Quote_SixtyFourCharacters_Unchanged()
    {
        Assert.Equal($"'{SixtyFour}'", EchoedText.Quote(SixtyFour));
    }

    [Fact]
    public void Quote_LongText_CutWithLength()
    {
        Assert.Equal($"'{SixtyFour}…' (65 characters)", EchoedText.Quote(SixtyFour + "b"));
        Assert.Equal($"\"{SixtyFour}…\" (100,000 characters)", EchoedText.Quote(new string('a', 100_000), '"'));
    }

    [Fact]
    public void Quote_Emoji_CountedOnceAndNotSplit()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 64));

        Assert.Equal($"'{emoji}'", EchoedText.Quote(emoji));
        Assert.Equal($"'{emoji}…' (65 characters)", EchoedText.Quote(emoji + "\U0001F600"));
        Assert.Equal($"'{new string('a', 63)}\U0001F600…' (66 characters)", EchoedText.Quote(new string('a', 63) + "\U0001F600bb"));
    }

    [Fact]
    public void Quote_UnpairedSurrogate_CountsOnce()
    {
        Assert.Equal($"'\uD800{new string('a', 63)}…' (66 characters)", EchoedText.Quote("\uD800" + new string('a', 65)));
    }

    [Fact]
    public void Format_LongText_CutWithLength()
    {
        Assert.Equal("nope", EchoedText.Format("nope"));
        Assert.Equal(SixtyFour, EchoedText.Format(SixtyFour));
        Assert.Equal($"{SixtyFour}… (65 characters)", EchoedText.Format(SixtyFour + "b"));
    }

    [Fact]
    public void Shorten_LongText_CutWithoutLength()
    {
        Assert.Equal("nope", EchoedText.Shorten("nope"));
        Assert.Equal(SixtyFour, EchoedText.Shorten(SixtyFour));
        Assert.Equal(SixtyFour + "…", EchoedText.Shorten(SixtyFour + "b"));
    }
}
