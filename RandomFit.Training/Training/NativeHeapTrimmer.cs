using System.Runtime.InteropServices;

namespace RandomFit.Training.Training;

/// <summary>
/// Returns the free pages of glibc's malloc heaps to the operating system, at most once per interval.
/// </summary>
/// <remarks>
/// libtorch and TorchSharp free many small native blocks every epoch. glibc keeps freed memory inside its heaps, so
/// without a trim the resident set of a long run grows by fragmentation (about 7 MiB over 1,000 epochs of the
/// benchmark's article-example-3 workload on a 2-core CPU, and 35 MiB over 50 epochs of zhang-cnn). A trim is cheap
/// (1-1.5 ms), but the pages it returns fault back in when activations are allocated again: trimming every 250 ms cost
/// article-example-1 about a quarter of its speed. Every 5 s keeps that cost small and zhang-cnn's resident set flat.
/// </remarks>
public sealed class NativeHeapTrimmer(TimeProvider clock, TimeSpan interval)
{
    /// <summary>The default interval between trims.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    // Cleared on the first failed call: musl and other C libraries have no malloc_trim.
    private static bool s_available = OperatingSystem.IsLinux();

    private long _lastTrim = clock.GetTimestamp();

    /// <summary>Creates a trimmer on the system clock with <see cref="DefaultInterval"/>.</summary>
    public NativeHeapTrimmer()
        : this(TimeProvider.System, DefaultInterval)
    {
    }

    /// <summary>The number of trims this instance has requested.</summary>
    public int TrimCount { get; private set; }

    /// <summary>
    /// Trims the native heaps when <c>interval</c> has passed since the last trim (or since construction).
    /// Returns whether a trim was requested.
    /// </summary>
    public bool TrimIfDue()
    {
        if (clock.GetElapsedTime(_lastTrim) < interval)
        {
            return false;
        }

        _lastTrim = clock.GetTimestamp();
        TrimCount++;
        Trim();
        return true;
    }

    private static void Trim()
    {
        if (!s_available)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
        }
    }

    // glibc: releases free memory at the top of the heap and, since glibc 2.8, free whole pages inside every arena.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
