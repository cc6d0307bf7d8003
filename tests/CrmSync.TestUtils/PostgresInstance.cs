using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CrmSync.TestUtils;

/// <summary>
/// A throw-away PostgreSQL server started from the installed PostgreSQL binaries, for tests and the reliability
/// scenarios (set CRMSYNC_TEST_POSTGRES to a connection string to use an existing server instead).
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private string? _dataDirectory;
    private string? _binDirectory;

    private PostgresInstance()
    {
    }

    /// <summary>Gets the connection string of the server (database <c>postgres</c>, user <c>crmsync</c>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Starts a server in a new temporary data folder (or uses CRMSYNC_TEST_POSTGRES).</summary>
    /// <returns>The running server; dispose it to stop it and delete its data.</returns>
    public static async Task<PostgresInstance> StartAsync()
    {
        var instance = new PostgresInstance();
        await instance.InitializeAsync();
        return instance;
    }

    private async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("CRMSYNC_TEST_POSTGRES") is { Length: > 0 } existing)
        {
            ConnectionString = existing;
            return;
        }

        _binDirectory = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_binDirectory is null)
        {
            throw new InvalidOperationException("PostgreSQL server binaries were not found under /usr/lib/postgresql: install the 'postgresql' package (bash .ci/run does) or set CRMSYNC_TEST_POSTGRES.");
        }

        _dataDirectory = Path.Combine(Path.GetTempPath(), "crmsync-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root; the postgres user owns the cluster.
            await RunAsync("chown", ["postgres", _dataDirectory], runAsPostgres: false);
        }

        await RunAsync(Path.Combine(_binDirectory, "initdb"), ["-D", _dataDirectory, "-U", "crmsync", "--auth=trust", "--no-sync", "-E", "UTF8"], asRoot);

        // PostgreSQL cannot listen on port 0, so a free port is chosen first; another process on a busy CI machine can
        // take it before the server binds, and then the start is tried again on a new port.
        int port;
        for (var attempt = 1; ; attempt++)
        {
            port = FreePort();
            try
            {
                await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-w", "-t", "60", "-l", Path.Combine(_dataDirectory, "server.log"), "-o", $"-p {port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"], asRoot);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Port taken in between (the server log says so); choose another.
            }
        }

        ConnectionString = $"Host=127.0.0.1;Port={port};Username=crmsync;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    /// <summary>Stops the server and deletes its data folder.</summary>
    /// <returns>A task that completes when the server stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_dataDirectory is null || _binDirectory is null)
        {
            return;
        }

        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "stop"], Environment.UserName == "root");
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool runAsPostgres)
    {
        var start = new ProcessStartInfo(runAsPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (runAsPostgres)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
