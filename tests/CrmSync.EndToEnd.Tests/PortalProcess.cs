using System.Diagnostics;
using System.Text;

namespace CrmSync.EndToEnd.Tests;

/// <summary>The sample portal running as its own process on a free port, with its own data folder (fresh state per test).</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _dataDirectory;

    private PortalProcess(Process process, StringBuilder output, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        _output = output;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PortalProcess> StartAsync(bool activityGenerator = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        // The portal listens on port 0 (the OS picks a free port at bind time, so no other process can take it first),
        // but its in-process simulators pick their ports before binding; on a busy CI machine another process can take
        // one in between. That start fails with "address already in use" and is simply tried again.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(activityGenerator, environment);
            }
            catch (PortalStartException ex) when (attempt < attempts && ex.AddressInUse)
            {
                // Try again with fresh ports.
            }
        }
    }

    private static async Task<PortalProcess> StartOnceAsync(bool activityGenerator, IReadOnlyDictionary<string, string>? environment)
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var projectDirectory = Path.Combine(root, "samples", "CrmSync.Samples.Portal");
        var dll = Path.Combine(projectDirectory, "bin", configuration, "net10.0", "CrmSync.Samples.Portal.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The portal is not built at {dll}; build the solution first.", dll);
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "crmsync-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["Portal__ActivityGenerator__Enabled"] = activityGenerator ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // "Now listening on: http://127.0.0.1:NNNNN" tells the test which port the OS gave the portal.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            // Portal__… and CrmSync__… settings, for example short intervals so a browser test stays short.
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            const string marker = "Now listening on: ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && Uri.TryCreate(line[(at + marker.Length)..].Trim(), UriKind.Absolute, out var address))
            {
                listening.TrySetResult(new Uri(address, "/"));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        var startup = TimeSpan.FromSeconds(90);
        var exited = process.WaitForExitAsync();
        await Task.WhenAny(listening.Task, exited, Task.Delay(startup));
        var portal = new PortalProcess(process, output, dataDirectory, listening.Task.IsCompletedSuccessfully ? listening.Task.Result : new Uri("http://127.0.0.1:0/"));
        if (!listening.Task.IsCompletedSuccessfully)
        {
            var text = portal.Output;
            var hasExited = process.HasExited;
            var exitCode = hasExited ? process.ExitCode : 0;
            await portal.DisposeAsync();
            throw hasExited
                ? new PortalStartException($"The portal exited with {exitCode}:\n{text}", text.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                : new TimeoutException($"The portal did not start listening within 90 s:\n{text}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (deadline.Elapsed < startup)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{portal.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(portal.BaseAddress, "signin"));
                if (response.IsSuccessStatusCode)
                {
                    return portal;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(250);
        }

        await portal.DisposeAsync();
        throw new TimeoutException($"The portal did not answer within 90 s:\n{portal.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrmSync.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CrmSync.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The portal process ended before it answered.</summary>
    private sealed class PortalStartException(string message, bool addressInUse) : Exception(message)
    {
        public bool AddressInUse { get; } = addressInUse;
    }
}
