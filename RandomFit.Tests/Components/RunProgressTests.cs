using Bunit;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Runs;

namespace RandomFit.Tests.Components;

public sealed class RunProgressTests : ComponentTestBase
{
    // Each case has two of totalEpochs stored, each taking secondsPerEpoch.
    [Theory]
    [InlineData(0.2, 3, "under a second left")]
    [InlineData(0.2, 2, "under a second left")]
    [InlineData(2.0, 12, "about 20 s left")]
    [InlineData(30.0, 12, "about 5 min left")]
    public void RunProgress_Running_ShowsTimeLeft(double secondsPerEpoch, int totalEpochs, string expected)
    {
        EpochMetrics[] epochs =
        [
            new(1, 2.3, 0.1, null, null, secondsPerEpoch, secondsPerEpoch),
            new(2, 2.2, 0.2, null, null, secondsPerEpoch, 2 * secondsPerEpoch),
        ];

        var progress = Render<RunProgress>(parameters => parameters
            .Add(component => component.Status, RunStatus.Running)
            .Add(component => component.Epochs, epochs)
            .Add(component => component.TotalEpochs, totalEpochs));

        Assert.Equal(expected, progress.Find("[data-testid=eta]").TextContent);
    }
}
