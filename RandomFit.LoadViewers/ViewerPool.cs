using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Hubs;

namespace RandomFit.LoadViewers;

/// <summary>Hub clients that each watch one experiment and count the epochs and final statuses they receive.</summary>
public sealed class ViewerPool : IAsyncDisposable
{
    private readonly List<Viewer> _viewers = [];

    public static async Task<ViewerPool> ConnectAsync(Uri baseAddress, int count, CancellationToken cancellationToken)
    {
        var pool = new ViewerPool();
        for (var i = 0; i < count; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, RunsHubContract.Path))
                .AddJsonProtocol(options => SpecJson.Configure(options.PayloadSerializerOptions))
                .Build();
            var viewer = new Viewer(connection);
            pool._viewers.Add(viewer);
            await connection.StartAsync(cancellationToken);
        }

        return pool;
    }

    public Task WatchExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        Task.WhenAll(_viewers.Select(viewer =>
            viewer.Connection.InvokeAsync(RunsHubContract.WatchExperiment, experimentId, cancellationToken)));

    /// <summary>The fewest and most epoch events any viewer received, and how many saw every run end.</summary>
    public (int MinEpochs, int MaxEpochs, int OutOfOrder, int ViewersWithAllFinals) Tally(int runs)
    {
        var epochs = _viewers.Select(viewer => viewer.Epochs).ToList();
        return (
            epochs.Min(),
            epochs.Max(),
            _viewers.Sum(viewer => viewer.OutOfOrder),
            _viewers.Count(viewer => viewer.Finals >= runs));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var viewer in _viewers)
        {
            await viewer.Connection.DisposeAsync();
        }
    }

    private sealed class Viewer
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, int> _lastEpoch = [];
        private int _epochs;
        private int _outOfOrder;
        private int _finals;

        public Viewer(HubConnection connection)
        {
            Connection = connection;
            connection.On<string, EpochMetrics>(RunsHubContract.EpochEvent, OnEpoch);
            connection.On<string, string, string?>(RunsHubContract.StatusEvent, (_, status, _) =>
            {
                if (status is "completed" or "failed" or "cancelled")
                {
                    Interlocked.Increment(ref _finals);
                }
            });
        }

        public HubConnection Connection { get; }

        public int Epochs => Volatile.Read(ref _epochs);

        public int OutOfOrder => Volatile.Read(ref _outOfOrder);

        public int Finals => Volatile.Read(ref _finals);

        private void OnEpoch(string runId, EpochMetrics metrics)
        {
            lock (_gate)
            {
                var last = _lastEpoch.GetValueOrDefault(runId);
                if (metrics.Epoch != last + 1)
                {
                    _outOfOrder++;
                }

                _lastEpoch[runId] = metrics.Epoch;
                _epochs++;
            }
        }
    }
}
