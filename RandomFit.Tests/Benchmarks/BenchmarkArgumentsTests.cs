using RandomFit.Benchmarks;

namespace RandomFit.Tests.Benchmarks;

public sealed class BenchmarkArgumentsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void Parse_Lanes_ReadsCount(string value, int expected)
    {
        var arguments = BenchmarkArguments.Parse(["--stacked", "8", "--lanes", value]);

        Assert.Null(arguments.Error);
        Assert.Equal(expected, arguments.Lanes);
    }

    [Fact]
    public void Parse_NoLanes_LeavesDefault()
    {
        Assert.Null(BenchmarkArguments.Parse(["--stacked", "8"]).Lanes);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("two")]
    public void Parse_BadLanes_NamesValue(string value)
    {
        var arguments = BenchmarkArguments.Parse(["--lanes", value]);

        Assert.Equal($"--lanes needs a whole number, 0 or more; got \"{value}\".", arguments.Error);
    }

    [Fact]
    public void Parse_LanesWithoutValue_Rejected()
    {
        Assert.Equal("--lanes needs a whole number, 0 or more; got \"\".", BenchmarkArguments.Parse(["--lanes"]).Error);
    }
}
