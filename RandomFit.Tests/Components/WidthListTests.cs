using RandomFit.Web.Components.Pages.Experiments.New;

namespace RandomFit.Tests.Components;

/// <summary>Layer widths typed on the new-experiment form.</summary>
public sealed class WidthListTests
{
    [Fact]
    public void Parse_LongInvalidPart_ShortenedInMessage()
    {
        var part = new string('w', 100);

        var widths = WidthList.Parse($"64, {part}", out var error);

        Assert.Null(widths);
        Assert.Equal($"\"{part[..64]}…\" (100 characters) is not a width: write integers separated by commas, such as 64, 32.", error);
    }
}
