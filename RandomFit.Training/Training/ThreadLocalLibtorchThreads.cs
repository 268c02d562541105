using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>
/// Limits libtorch's parallelism on the calling thread alone, leaving the process-wide thread count of other runs as
/// it is.
/// </summary>
/// <remarks>
/// libtorch's CPU build parallelizes through GNU OpenMP and MKL. OpenMP keeps its thread count per thread that
/// starts parallel work, and MKL keeps a thread-local count beside it, so setting both on one thread changes only
/// what that thread's operations use. <c>torch.set_num_threads</c> would also change the process-wide count that
/// threads read when they first call libtorch. The two functions are looked up in the libraries libtorch loaded. Where
/// OpenMP's is missing (a platform other than Linux, or a build without OpenMP), <see cref="IsAvailable"/> is false.
/// </remarks>
internal static class ThreadLocalLibtorchThreads
{
    private static readonly Lazy<Functions?> s_functions = new(Find);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetThreads(int threads);

    // NOTE: libtorch's export of this name has the same address as MKL's Fortran entry, mkl_set_num_threads_local_,
    // which takes the count by reference. Called with the count by value, it crashed the process.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetMklThreadsByReference(ref int threads);

    /// <summary>Whether the calling thread's count can be set apart from the process-wide one.</summary>
    public static bool IsAvailable => s_functions.Value is not null;

    /// <summary>
    /// Makes libtorch run the calling thread's operations on that thread alone, and returns whether it now does. Where
    /// <see cref="IsAvailable"/> is false, it changes nothing and returns false.
    /// </summary>
    public static bool UseOneThread()
    {
        if (s_functions.Value is not { } functions)
        {
            return false;
        }

        // libtorch sets a thread's counts from the process-wide one when the thread first reads or uses them. Reading
        // the count here makes that happen now, so it cannot undo the settings below.
        _ = get_num_threads();
        functions.OpenMp(1);
        functions.Mkl?.Invoke(1);
        return get_num_threads() == 1;
    }

    private static Functions? Find()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // Loads libtorch first, so its libraries are mapped.
        _ = get_num_threads();
        var libraries = LoadedLibraries();
        var openMp = Export<SetThreads>(libraries, "libgomp", "omp_set_num_threads");
        if (openMp is null)
        {
            return null;
        }

        // A libtorch built without MKL has no MKL count to set.
        var mkl = Export<SetMklThreadsByReference>(libraries, "libtorch_cpu", "mkl_set_num_threads_local");
        return new Functions(openMp, mkl is null ? null : threads => mkl(ref threads));
    }

    private static T? Export<T>(IReadOnlyList<string> libraries, string namePrefix, string symbol)
        where T : Delegate
    {
        foreach (var path in libraries.Where(p => Path.GetFileName(p).StartsWith(namePrefix, StringComparison.Ordinal)))
        {
            if (NativeLibrary.TryLoad(path, out var handle) && NativeLibrary.TryGetExport(handle, symbol, out var address))
            {
                return Marshal.GetDelegateForFunctionPointer<T>(address);
            }
        }

        return null;
    }

    // The shared objects mapped into this process, from the path column of /proc/self/maps.
    private static List<string> LoadedLibraries()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..] : "")
                .Where(path => path.Contains(".so", StringComparison.Ordinal))
                .Distinct()
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private sealed record Functions(SetThreads OpenMp, Action<int>? Mkl);
}
