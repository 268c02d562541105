using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RandomFit.Tests.Nodes;

/// <summary>A throwaway PostgreSQL server: initdb in a temporary folder, listening on a loopback port.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _binaries;

    private PostgresServer(string folder, string binaries, int port)
    {
        _folder = folder;
        _binaries = binaries;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    public string ConnectionString { get; }

    /// <summary>The bin folder of the newest installed PostgreSQL (Debian layout), or null.</summary>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => bin, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static async Task<PostgresServer> StartAsync(string binaries)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"randomfit-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);

        // The server refuses to run as root, so as root (CI containers) it runs as the postgres user.
        if (Environment.UserName == "root")
        {
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", folder]);
        }

        var port = ProcessRunner.FreePort();
        var server = new PostgresServer(folder, binaries, port);
        var data = Path.Combine(folder, "data");
        await server.AsServerUserAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await server.AsServerUserAsync("pg_ctl",
        [
            "start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(folder, "server.log"),
            "-o", $"-p {port} -h 127.0.0.1 -k {folder} -F",
        ]);
        await server.WaitUntilReadyAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await AsServerUserAsync("pg_ctl", ["stop", "-m", "immediate", "-D", Path.Combine(_folder, "data")]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private Task AsServerUserAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries, tool);
        return Environment.UserName == "root"
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : ProcessRunner.RunAsync(path, arguments);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }
}

/// <summary>A throwaway Redis server on a loopback port, without persistence.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    public static string? FindBinary() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync(string binary)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"randomfit-redis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var port = ProcessRunner.FreePort();
        var start = new ProcessStartInfo(binary,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, folder, port);
        await ProcessRunner.WaitForPortAsync(port);
        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>Runs command-line tools for the server fixtures.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs a tool to its end and fails the test with its output when it exits with an error.</summary>
    public static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(
            process.ExitCode == 0,
            $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }
}
