using System.Runtime.InteropServices;

namespace RandomFit.Tests.Training;

/// <summary>
/// A stress loop for libtorch calls while another thread collects garbage without pause. A Scalar that TorchSharp
/// makes from a number argument can be finalized during the native call unless the caller keeps it alive
/// (HeldScalars).
/// </summary>
internal static class ConstantCollection
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="count"/> times while another thread collects garbage without pause,
    /// and returns the messages of the libtorch errors raised.
    /// </summary>
    public static List<string> Run(Action step, int count)
    {
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        var failures = new List<string>();

        collector.Start();
        for (var i = 0; i < count; i++)
        {
            try
            {
                step();
            }
            catch (ExternalException exception)
            {
                failures.Add(exception.Message);
            }
        }

        stop.Cancel();
        collector.Join();
        return failures;
    }
}
