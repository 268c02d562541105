using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static RandomFit.Tests.Training.TrainingHarness;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class StackedLanesTests
{
    [Theory]
    [InlineData(5, 2, "0+3,3+2")]
    [InlineData(8, 3, "0+3,3+3,6+2")]
    [InlineData(4, 4, "0+1,1+1,2+1,3+1")]
    public void Split_GivesConsecutiveRangesLargerFirst(int count, int parts, string expected)
    {
        var ranges = StackedLanes.Split(count, parts);

        Assert.Equal(expected, string.Join(",", ranges.Select(r => $"{r.Start}+{r.Count}")));
    }

    [Fact]
    public void ConvMultiplyAdds_CountsEachConvolution()
    {
        // 32x32x32 outputs of 3x3x3 filters, then 16x16x32 outputs of 3x3x32 filters after pooling.
        var zhang = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
            ],
            Dense = [128],
        };
        var shape = new ShapeSpec { Channels = 3, Height = 32, Width = 32 };
        var preset = Presets.Find("article-example-3")!.Spec;

        Assert.Equal(884_736 + 2_359_296, StackedLanes.ConvMultiplyAdds(zhang, shape));
        Assert.Equal(0, StackedLanes.ConvMultiplyAdds(Mlp(256), shape));
        Assert.Equal(4_608, StackedLanes.ConvMultiplyAdds(preset.Models![0], preset.Data!.Shape!));
    }

    [Fact]
    public void Count_Requested_AtMostOnePerSeed()
    {
        Assert.Equal(2, StackedLanes.Count(CPU, seeds: 8, requested: 2, convMultiplyAddsPerSample: 3_244_032));
        Assert.Equal(3, StackedLanes.Count(CPU, seeds: 3, requested: 4, convMultiplyAddsPerSample: 0));
        Assert.Equal(1, StackedLanes.Count(CPU, seeds: 3, requested: 1, convMultiplyAddsPerSample: 0));
        Assert.Null(StackedLanes.Count(CPU, seeds: 3, requested: 0, convMultiplyAddsPerSample: 0));
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => StackedLanes.Count(CPU, seeds: 3, requested: -1, convMultiplyAddsPerSample: 0));
        Assert.Equal("requested", exception.ParamName);
        Assert.StartsWith("The lane count must be 0 (one model) or more.", exception.Message);
    }

    [Fact]
    public void Count_Default_LanePerThread()
    {
        var processThreads = get_num_threads();
        try
        {
            // The default reads the calling thread's libtorch count, so this test thread's count is set to 2.
            set_num_threads(2);

            Assert.Equal(2, StackedLanes.Count(CPU, seeds: 8, requested: null, convMultiplyAddsPerSample: 0));
            Assert.Equal(1, StackedLanes.Count(CPU, seeds: 1, requested: null, convMultiplyAddsPerSample: 4_608));
            Assert.Null(StackedLanes.Count(CPU, seeds: 8, requested: null, convMultiplyAddsPerSample: 3_244_032));
            set_num_threads(1);
            Assert.Null(StackedLanes.Count(CPU, seeds: 8, requested: null, convMultiplyAddsPerSample: 0));
        }
        finally
        {
            set_num_threads(processThreads);
        }
    }

    [Fact]
    public void Run_LaneFailure_CancelsOthers()
    {
        var requests = Enumerable.Range(1, 3).Select(seed => new RunRequest(new ExperimentSpec(), "mlp", null, seed)).ToList();
        var progress = requests.Select(_ => (ITrainingProgress)new RecordingProgress()).ToList();
        var cancelledSeeds = new List<int>();

        var exception = Assert.Throws<InvalidOperationException>(() => StackedLanes.Run(
            requests,
            progress,
            lanes: 2,
            (lane, _, token) =>
            {
                if (lane[0].Seed == 1)
                {
                    throw new InvalidOperationException("lane of seeds 1 and 2 failed");
                }

                // Without the cancellation this lane would wait for the test's 10 s.
                token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
                lock (cancelledSeeds)
                {
                    cancelledSeeds.AddRange(lane.Select(r => r.Seed).Where(_ => token.IsCancellationRequested));
                }

                token.ThrowIfCancellationRequested();
                return [];
            },
            CancellationToken.None));

        Assert.Equal("lane of seeds 1 and 2 failed", exception.Message);
        Assert.Equal([3], cancelledSeeds);
    }

    [Fact]
    public void Run_ReturnsOutcomesInRequestOrder()
    {
        var requests = Enumerable.Range(1, 5).Select(seed => new RunRequest(new ExperimentSpec(), "mlp", null, seed)).ToList();
        var progress = requests.Select(_ => (ITrainingProgress)new RecordingProgress()).ToList();

        // The lane of the last seeds finishes first.
        var outcomes = StackedLanes.Run(
            requests,
            progress,
            lanes: 2,
            (lane, _, _) =>
            {
                if (lane[0].Seed == 1)
                {
                    Thread.Sleep(200);
                }

                return lane.Select(r => new StackedRunOutcome(r.Seed, null, $"{r.Seed} of {lane.Count}")).ToList();
            },
            CancellationToken.None);

        Assert.Equal(["1 of 3", "2 of 3", "3 of 3", "4 of 2", "5 of 2"], outcomes.Select(o => o.Failure));
    }

    [Fact]
    public void UseOneThread_ChangesOnlyTheCallingThread()
    {
        Assert.True(ThreadLocalLibtorchThreads.IsAvailable);
        var processThreads = get_num_threads();
        try
        {
            // Two libtorch threads process-wide, so one thread on the lane is a change a later thread would notice.
            set_num_threads(2);
            var laneThreads = 0;
            var laterThreads = 0;
            var lane = new Thread(() =>
            {
                ThreadLocalLibtorchThreads.UseOneThread();
                laneThreads = get_num_threads();
            });
            lane.Start();
            lane.Join();
            var later = new Thread(() => laterThreads = get_num_threads());
            later.Start();
            later.Join();

            Assert.Equal(1, laneThreads);
            Assert.Equal(2, laterThreads);
        }
        finally
        {
            set_num_threads(processThreads);
        }
    }
}
