using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// Splits a stacked cohort on the CPU into lanes: smaller stacked models, each trained on a thread of its own with
/// one libtorch thread.
/// </summary>
/// <remarks>
/// A stacked model of small dense layers spends much of its epoch in libtorch calls of a few microseconds and in the
/// optimizer step, which runs on one thread. With one stacked model, libtorch splits each call's arithmetic over its
/// threads, and they wait for each other many times a batch. On a machine shared with other work, such a wait
/// stretches whenever one thread is descheduled. Lanes share nothing within an epoch, so they never wait for each
/// other, and each runs its own optimizer step. On 2 cores, eight seeds of the memorization MLP took 0.021-0.040 s
/// an epoch as one model over 2 libtorch threads and 0.019-0.024 s as two lanes of four (docs/benchmarks.md).
/// Each seed keeps its own data, batch order, weights and optimizer state in any lane, so its metrics still match its
/// separate run within float tolerance.
/// </remarks>
internal static class StackedLanes
{
    /// <summary>
    /// Convolution multiply-adds per sample from which a cohort trains as one model by default. zhang-cnn's 3.2
    /// million took about 11% longer an epoch in two lanes than as one model over 2 threads, because its epoch is
    /// convolution arithmetic that libtorch already spreads over the threads. article-example-3 (4,608) and the
    /// memorization MLP (none) ran faster in lanes.
    /// </summary>
    public const long OneModelFromConvMultiplyAdds = 1_000_000;

    /// <summary>
    /// The number of lanes, or null to train one stacked model on every libtorch thread. <paramref name="requested"/>
    /// 0 requests one model, and a positive number that many lanes, at most one per seed. Without a request, a
    /// network of fewer than <see cref="OneModelFromConvMultiplyAdds"/> convolution multiply-adds per sample gets one
    /// lane per libtorch thread of the calling thread, at most one per seed, when there are 2 or more threads. So a
    /// cohort of one light seed, such as a rerun, also trains on one thread, as the seed did in its first cohort.
    /// Off the CPU, or where a thread's libtorch count cannot be set alone, it always returns null (one model).
    /// </summary>
    public static int? Count(Device device, int seeds, int? requested, long convMultiplyAddsPerSample)
    {
        if (requested is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, "The lane count must be 0 (one model) or more.");
        }

        if (device.type != DeviceType.CPU || !ThreadLocalLibtorchThreads.IsAvailable || requested == 0)
        {
            return null;
        }

        if (requested is { } lanes)
        {
            return Math.Min(lanes, seeds);
        }

        var threads = get_num_threads();
        return convMultiplyAddsPerSample < OneModelFromConvMultiplyAdds && threads > 1 ? Math.Min(threads, seeds) : null;
    }

    /// <summary>The multiply-adds of a model's convolutions for one sample of <paramref name="shape"/>; 0 for an MLP.</summary>
    public static long ConvMultiplyAdds(ModelSpec model, ShapeSpec shape)
    {
        if (model.Kind != ModelKind.Cnn)
        {
            return 0;
        }

        long total = 0;
        var channels = (long)(shape.Channels ?? 0);
        var blocks = FeatureMaps.Trace(model, shape);
        for (var i = 0; i < blocks.Count; i++)
        {
            var kernel = (long)model.Conv![i].Kernel!.Value;
            var block = blocks[i];
            total += (long)block.ConvHeight * block.ConvWidth * block.Channels * channels * kernel * kernel;
            channels = block.Channels;
        }

        return total;
    }

    /// <summary>
    /// Splits the seeds into <paramref name="lanes"/> runs of consecutive seeds whose sizes differ by at most one,
    /// trains each with <paramref name="trainLane"/> on its own thread, and returns the outcomes in the order of
    /// <paramref name="requests"/>. When a lane throws, the others are cancelled and its exception is rethrown.
    /// </summary>
    public static IReadOnlyList<StackedRunOutcome> Run(
        IReadOnlyList<RunRequest> requests,
        IReadOnlyList<ITrainingProgress> progress,
        int lanes,
        Func<IReadOnlyList<RunRequest>, IReadOnlyList<ITrainingProgress>, CancellationToken, IReadOnlyList<StackedRunOutcome>> trainLane,
        CancellationToken cancellationToken)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ranges = Split(requests.Count, lanes);
        var outcomes = new IReadOnlyList<StackedRunOutcome>?[lanes];
        var failures = new Exception?[lanes];
        var threads = ranges.Select((range, lane) => new Thread(() =>
        {
            try
            {
                // Count chose lanes only where the count can be set. Should setting it fail anyway, the lane still
                // trains correctly, only on every libtorch thread.
                ThreadLocalLibtorchThreads.UseOneThread();
                outcomes[lane] = trainLane(
                    requests.Skip(range.Start).Take(range.Count).ToList(),
                    progress.Skip(range.Start).Take(range.Count).ToList(),
                    stopAll.Token);
            }
            catch (Exception exception)
            {
                failures[lane] = exception;
                stopAll.Cancel();
            }
        })
        {
            Name = $"stacked lane {lane + 1} of {lanes}",
            IsBackground = true,
        }).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        // The first failure that is not another lane's cancellation explains the stop.
        var cause = failures.FirstOrDefault(f => f is not null and not OperationCanceledException)
            ?? failures.FirstOrDefault(f => f is not null);
        if (cause is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
        }

        return outcomes.SelectMany(lane => lane!).ToList();
    }

    /// <summary>Consecutive ranges of <paramref name="count"/> items in <paramref name="parts"/> parts, larger ones first.</summary>
    public static IReadOnlyList<(int Start, int Count)> Split(int count, int parts)
    {
        var ranges = new List<(int Start, int Count)>(parts);
        var start = 0;
        for (var part = 0; part < parts; part++)
        {
            var size = count / parts + (part < count % parts ? 1 : 0);
            ranges.Add((start, size));
            start += size;
        }

        return ranges;
    }
}
