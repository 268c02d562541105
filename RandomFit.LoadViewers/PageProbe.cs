using System.Diagnostics;

namespace RandomFit.LoadViewers;

/// <summary>Requests pages one after another while training runs and records each response time.</summary>
public sealed class PageProbe(HttpClient client, IReadOnlyList<string> paths)
{
    private readonly List<double> _milliseconds = [];

    public async Task RunAsync(CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync(paths[i % paths.Count], stop);
                await response.Content.ReadAsByteArrayAsync(stop);
                response.EnsureSuccessStatusCode();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            _milliseconds.Add(clock.Elapsed.TotalMilliseconds);

            // About five requests a second: a few people browsing, not a flood that would itself slow training.
            await Task.Delay(200, CancellationToken.None);
        }
    }

    public int Count => _milliseconds.Count;

    public double Percentile(double fraction)
    {
        if (_milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _milliseconds.Order().ToList();
        var index = (int)Math.Ceiling(fraction * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
