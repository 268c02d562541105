using System.Diagnostics;
using System.Net;

namespace RandomFit.Tests.Reliability;

/// <summary>
/// The built RandomFit.Web.dll started with <c>dotnet</c> as its own process on a loopback port that Kestrel picks.
/// </summary>
public sealed class WebAppProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _allLines = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebAppProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The address Kestrel listens on, known once <c>StartAsync</c> has returned.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The last lines the app wrote, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join("\n", _lastLines);
            }
        }
    }

    /// <summary>Every line the app wrote so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _allLines];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static Task<WebAppProcess> StartAsync(string databasePath) =>
        StartAsync(new Dictionary<string, string> { ["ConnectionStrings__RandomFit"] = $"Data Source={databasePath}" });

    /// <summary>Starts the app with these environment variables on top of CPU training with one thread.</summary>
    public static async Task<WebAppProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        // The web project's own output folder holds its appsettings and the patched libtorch natives.
        var testFolder = AppContext.BaseDirectory;
        var webFolder = testFolder.Replace(
            $"{Path.DirectorySeparatorChar}RandomFit.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}RandomFit.Web{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal);
        var dll = Path.Combine(webFolder, "RandomFit.Web.dll");
        Assert.True(File.Exists(dll), $"Build RandomFit.Web first; {dll} is missing.");

        // Port 0 lets Kestrel bind a free port itself. A port probed beforehand could be taken by another socket
        // while the process starts.
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = webFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["RandomFit__Training__Device"] = "cpu";
        start.Environment["RandomFit__Training__Threads"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var app = new WebAppProcess(Process.Start(start)!);
        app._process.OutputDataReceived += (_, line) => app.Keep(line.Data);
        app._process.ErrorDataReceived += (_, line) => app.Keep(line.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        await app.WaitUntilHealthyAsync();
        return app;
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    /// <summary>Kills the process at once, as a power cut or the OOM killer would: no shutdown code runs.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        Address = await WaitForAddressAsync(deadline);
        using var client = CreateClient();
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The web app exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The web app did not answer /healthz within 90 s:\n{Log}");
    }

    // Kestrel logs "Now listening on: http://127.0.0.1:<port>" (category Microsoft.Hosting.Lifetime) once it has bound.
    private async Task<Uri> WaitForAddressAsync(DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            if (_listening.Task.IsCompleted)
            {
                return await _listening.Task;
            }

            if (_process.HasExited)
            {
                Assert.Fail($"The web app exited with {_process.ExitCode}:\n{Log}");
            }

            await Task.WhenAny(_listening.Task, Task.Delay(200, TestContext.Current.CancellationToken));
        }

        Assert.Fail($"The web app did not log the address it listens on within 90 s:\n{Log}");
        return null!;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        const string ListeningMark = "Now listening on: ";
        var mark = line.IndexOf(ListeningMark, StringComparison.Ordinal);
        if (mark >= 0)
        {
            _listening.TrySetResult(new Uri(line[(mark + ListeningMark.Length)..].Trim()));
        }

        lock (_lastLines)
        {
            _allLines.Add(line);
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
