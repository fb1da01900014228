using System.Diagnostics;
using System.Globalization;
using System.Text;
using Weir.Testing;

namespace Weir.Cli.Tests;

/// <summary>
/// <c>weir up</c> as a user runs it: its own process, its output captured, stopped with SIGTERM as Ctrl-C or a
/// service manager would. Ports not given are chosen free; a start that loses one to a parallel test before binding
/// it is retried on fresh ports from an empty data directory.
/// </summary>
public sealed class WeirUpProcess : IDisposable
{
    private const string Banner = "Kubernetes API server:";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WeirUpProcess(string dataDir, IReadOnlyList<string> args, int apiPort, int registryPort)
    {
        ApiPort = apiPort;
        RegistryPort = registryPort;
        _process = WeirRun.Start(new[]
        {
            "up", "--data-dir", dataDir,
            "--api-port", apiPort.ToString(CultureInfo.InvariantCulture), "--registry-port", registryPort.ToString(CultureInfo.InvariantCulture),
        }.Concat(args));
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ApiPort { get; }

    public int RegistryPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far (stdout and stderr).</summary>
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

    /// <summary>Starts <c>weir up --data-dir DIR --api-port … --registry-port … ARGS</c> and waits for its banner (or its exit).</summary>
    public static async Task<WeirUpProcess> StartAsync(string dataDir, IReadOnlyList<string> args, int? apiPort = null, int? registryPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var up = new WeirUpProcess(dataDir, args, apiPort ?? TestEnv.FreePort(), registryPort ?? TestEnv.FreePort());
            if (!await up.LostAPortAsync() || apiPort is not null || attempt == 3)
            {
                return up;
            }

            up.Dispose();
            Directory.Delete(dataDir, recursive: true);
            Directory.CreateDirectory(dataDir);
        }
    }

    /// <summary>Waits (at most two minutes) for the banner; true when the process ended because a port was taken.</summary>
    private async Task<bool> LostAPortAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!_process.HasExited && !Output.Contains(Banner, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        if (!_process.HasExited)
        {
            return false;
        }

        _process.WaitForExit(); // drains the redirected output
        return Output.Contains("address already in use", StringComparison.Ordinal);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!_process.WaitForExit(15000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
