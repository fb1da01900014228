using System.Diagnostics;
using System.Text;

namespace Weir.Bench.Fleets;

/// <summary>Runs an external tool (kubectl, the envsubst oracle) with arguments one by one and a time limit.</summary>
public static class Tool
{
    public static (int Code, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string? cwd = null, string? input = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, "timed out");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
