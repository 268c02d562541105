using RandomFit.Web.Components.Pages.Experiments.New;

namespace RandomFit.Tests.Components;

/// <summary>Seed lists typed on the new-experiment form and in the experiment page's add-seeds box.</summary>
public sealed class SeedListTests
{
    [Theory]
    [InlineData("5, 6,7", new[] { 5, 6, 7 })]
    [InlineData("5-8", new[] { 5, 6, 7, 8 })]
    [InlineData(" 0 - 2 , 9", new[] { 0, 1, 2, 9 })]
    [InlineData("2147483646-2147483647", new[] { 2147483646, 2147483647 })]
    public void Parse_ListsAndRanges_ReturnsSeeds(string text, int[] expected)
    {
        var seeds = SeedList.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(expected, seeds);
    }

    [Theory]
    [InlineData("", "Enter at least one seed, for example \"0\" or \"0-4\".")]
    [InlineData("x", "\"x\" is not a seed or a range: use integers from 0 to 2147483647, such as 3 or 0-4.")]
    [InlineData("5 6", "\"5 6\" is not a seed or a range: use integers from 0 to 2147483647, such as 3 or 0-4.")]
    [InlineData("-1", "\"-1\" is not a seed or a range: use integers from 0 to 2147483647, such as 3 or 0-4.")]
    [InlineData("9-5", "The range \"9-5\" runs backwards: write the smaller seed first.")]
    [InlineData("0-2147483647", "\"0-2147483647\" expands to too many seeds: at most 100,000 can be listed.")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345", "\"x123456789012345678901234567890123456789012345678901234567890123…\" (66 characters) is not a seed or a range: use integers from 0 to 2147483647, such as 3 or 0-4.")]
    public void Parse_Invalid_ReturnsMessage(string text, string expected)
    {
        var seeds = SeedList.Parse(text, out var error);

        Assert.Null(seeds);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Format_ConsecutiveSeeds_JoinsRanges()
    {
        Assert.Equal("0-4, 7, 9-10", SeedList.Format([0, 1, 2, 3, 4, 7, 9, 10]));
    }
}
