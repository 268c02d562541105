using RandomFit.Web;

namespace RandomFit.Tests.Web;

public sealed class CommandLineHelpTests
{
    [Theory]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "-h" }, true)]
    [InlineData(new[] { "-?" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5181" }, false)]
    [InlineData(new[] { "--help", "--urls", "http://127.0.0.1:5181" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5181", "-h" }, true)]
    [InlineData(new[] { "--urls", "--help-me" }, false)]
    [InlineData(new string[0], false)]
    public void IsRequested_Arguments_MatchesHelpFlagsOnly(string[] args, bool expected)
    {
        Assert.Equal(expected, CommandLineHelp.IsRequested(args));
    }

    [Fact]
    public void Text_NamesEveryCommand()
    {
        Assert.Contains("RandomFit.Web [--urls URL]", CommandLineHelp.Text);
        Assert.Contains("RandomFit.Web create-user NAME", CommandLineHelp.Text);
        Assert.Contains("RandomFit.Web create-token NAME", CommandLineHelp.Text);
    }
}
