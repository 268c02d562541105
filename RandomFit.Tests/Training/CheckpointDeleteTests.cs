using RandomFit.Training.Training;

namespace RandomFit.Tests.Training;

public sealed class CheckpointDeleteTests
{
    [Fact]
    public void Delete_FolderNotCreatedYet_DoesNothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), "randomfit-tests", $"{Guid.NewGuid():N}", "checkpoints");

        RunCheckpoint.Delete(Path.Combine(folder, "r1.ckpt"));

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Delete_AllThreeFiles_RemovesThem()
    {
        var folder = Directory.CreateTempSubdirectory("randomfit-tests-").FullName;
        var path = Path.Combine(folder, "r1.ckpt");
        string[] files = [path, RunCheckpoint.PreviousPath(path), path + ".tmp"];
        foreach (var file in files)
        {
            File.WriteAllText(file, "");
        }

        RunCheckpoint.Delete(path);

        Assert.All(files, file => Assert.False(File.Exists(file), file));
        Directory.Delete(folder);
    }
}
