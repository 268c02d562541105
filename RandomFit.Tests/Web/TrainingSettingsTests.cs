using Microsoft.Extensions.Logging;

namespace RandomFit.Tests.Web;

[Collection(TorchCollection.Name)]
public sealed class TrainingSettingsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Startup_BlankDevice_FailsNamingKeyAndValues(string device)
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Training:Device"] = device,
        })
        {
            Log = log,
        };

        // The app logs the reason and exits before it starts, so the test host reports that no server started.
        Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        var critical = Assert.Single(log.Entries, entry => entry.Level == LogLevel.Critical);
        Assert.Equal(
            "RandomFit did not start: RandomFit:Training: DataAnnotation validation failed for 'TrainingOptions' members: "
                + "'Device' with the error: 'RandomFit:Training:Device is empty or blank, which is invalid; use auto, cpu or cuda, "
                + "or remove the key for auto.'.",
            critical.Message);
    }

    [Fact]
    public async Task Startup_UnknownDevice_FailsNamingKeyAndValues()
    {
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Training:Device"] = "gpu",
        })
        {
            Log = log,
        };

        Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        var critical = Assert.Single(log.Entries, entry => entry.Level == LogLevel.Critical);
        Assert.Equal(
            "RandomFit did not start: RandomFit:Training: DataAnnotation validation failed for 'TrainingOptions' members: "
                + "'Device' with the error: 'RandomFit:Training:Device must be auto, cpu or cuda.'.",
            critical.Message);
    }
}
