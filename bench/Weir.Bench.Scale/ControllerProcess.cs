using System.Diagnostics;
using System.Globalization;

namespace Weir.Bench.Scale;

/// <summary>
/// <c>weir controller</c> as its own process, so its peak memory is the controllers' alone (Flux's figure is the
/// controllers' too), read from <c>/proc/PID/status</c> (VmHWM).
/// </summary>
internal sealed class ControllerProcess : IDisposable
{
    private readonly Process _process;

    private ControllerProcess(Process process) => _process = process;

    public static ControllerProcess Start(string kubeconfig, string storage, int concurrent, string logFile)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "weir.dll"), "controller", "--kubeconfig", kubeconfig,
            "--storage-path", storage, "--storage-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
            "--enable-leader-election", "false", "--concurrent", concurrent.ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lock (log) { log.WriteLine(line); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (log) { log.WriteLine(line); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ControllerProcess(process);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Peak resident memory in MiB.</summary>
    public double PeakMiB() => ProcStatusKiB(_process.Id, "VmHWM:") / 1024.0;

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public static double ProcStatusKiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
