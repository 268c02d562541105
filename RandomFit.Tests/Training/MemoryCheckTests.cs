using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class MemoryCheckTests
{
    [Fact]
    public void Train_DataLargerThanMemory_FailsBeforeAllocating()
    {
        // About 12.6 TB of float32 inputs, far beyond any test machine's memory.
        var spec = Spec(Mlp(4), channels: 3, side: 1024, train: 1_000_000, epochs: 1);
        var progress = new RecordingProgress();

        var exception = Assert.Throws<TrainingFailedException>(
            () => CreateTrainer().Train(new RunRequest(spec, "mlp", null, 0), progress, CancellationToken.None));

        Assert.Contains("bytes of memory available to this process", exception.Message);
        Assert.Null(progress.Device);
        Assert.Empty(progress.Epochs);
    }
}
