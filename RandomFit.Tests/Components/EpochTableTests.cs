using Bunit;
using RandomFit.Training.Training;
using RandomFit.Web.Components.Pages.Runs;

namespace RandomFit.Tests.Components;

public sealed class EpochTableTests : ComponentTestBase
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task EpochTable_ShorterListThenDispose_ThrowsNothing(int versionAfter)
    {
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, Epochs(60))
            .Add(component => component.Version, 1));
        Assert.Equal(25, table.FindAll("tbody tr").Count);

        // The run page renders its children again on unrelated changes, with the same epochs and version.
        table.Render(parameters => parameters
            .Add(component => component.Epochs, Epochs(60))
            .Add(component => component.Version, 1));

        // A rerun's page or a resume's reset hands the table a shorter list, here with the same or a newer version.
        table.Render(parameters => parameters
            .Add(component => component.Epochs, Epochs(3))
            .Add(component => component.Version, versionAfter));
        await DisposeComponentsAsync();

        var failure = Renderer.UnhandledException.IsCompleted ? await Renderer.UnhandledException : null;
        Assert.Null(failure);
    }

    [Fact]
    public void EpochTable_ListShrunkInPlace_ShowsRemainingEpochs()
    {
        var epochs = Epochs(60);
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, epochs)
            .Add(component => component.Version, 1));

        epochs.RemoveAll(epoch => epoch.Epoch > 10);
        table.Render(parameters => parameters
            .Add(component => component.Epochs, epochs)
            .Add(component => component.Version, 2));

        Assert.Equal(10, table.FindAll("tbody tr").Count);
        Assert.Equal("10", table.Find("tbody tr td").TextContent);
    }

    // The run page's x axis "Seconds" counts the time since the run started, so the table names its per-epoch
    // duration apart from it.
    [Fact]
    public void EpochTable_Headers_NameEpochDuration()
    {
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, Epochs(2))
            .Add(component => component.Version, 1));

        var headers = table.FindAll("thead th").Select(header => header.TextContent.Trim());
        var secondsCell = table.Find("tbody tr td:last-child");

        Assert.Equal(["Epoch", "Train loss", "Train acc.", "Test loss", "Test acc.", "Epoch time (s)"], headers);
        Assert.Equal("Epoch time (s)", secondsCell.GetAttribute("data-label"));
    }

    [Theory]
    [InlineData(1, "1 epoch")]
    [InlineData(2, "2 epochs")]
    [InlineData(3000, "3,000 epochs")]
    public void EpochTable_Count_MatchesNumber(int count, string expected)
    {
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, Epochs(count))
            .Add(component => component.Version, 1));

        Assert.Equal(expected, table.Find("[data-testid=epoch-count]").TextContent.Trim());
    }

    [Theory]
    [InlineData(0.6931, "0.6931")]
    [InlineData(0.0012345, "0.0012")]
    [InlineData(0.00015077, "1.51e-4")]
    [InlineData(2.0804447e-9, "2.08e-9")]
    [InlineData(0.0, "0.0000")]
    public void EpochTable_TrainLoss_KeepsSmallValuesReadable(double loss, string expected)
    {
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, [TestRuns.Epoch(1, trainLoss: loss)])
            .Add(component => component.Version, 1));

        var cells = table.FindAll("tbody tr td");
        Assert.Equal(expected, cells[1].TextContent.Trim());
    }

    // A diverging run stored a loss of 19678688706560 before it became NaN. Four decimals wrote it in 19 characters,
    // which widened the table past its card and cut the epoch time column.
    [Theory]
    [InlineData(26592.935546875, "26592.9355")]
    [InlineData(99999.5, "99999.5000")]
    [InlineData(100000.0, "1e+5")]
    [InlineData(19678688706560.0, "1.97e+13")]
    public void EpochTable_TrainLoss_KeepsLargeValuesShort(double loss, string expected)
    {
        var table = Render<EpochTable>(parameters => parameters
            .Add(component => component.Epochs, [TestRuns.Epoch(1, trainLoss: loss)])
            .Add(component => component.Version, 1));

        var cells = table.FindAll("tbody tr td");
        Assert.Equal(expected, cells[1].TextContent.Trim());
    }

    private static List<EpochMetrics> Epochs(int count) =>
        [.. Enumerable.Range(1, count).Select(epoch => TestRuns.Epoch(epoch))];
}
