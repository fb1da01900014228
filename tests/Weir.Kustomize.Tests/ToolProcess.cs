using System.Diagnostics;

namespace Weir.Kustomize.Tests;

/// <summary>Runs a tool (kubectl, the weir CLI, an oracle) to completion and collects its output.</summary>
public static class ToolProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(
        string file, IEnumerable<string> args, string? workingDirectory = null, IEnumerable<string>? input = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            foreach (var line in input)
            {
                p.StandardInput.WriteLine(line);
            }

            p.StandardInput.Close();
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The weir CLI next to the test assembly.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Weir(string? workingDirectory, params string[] args) =>
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "weir.dll"), .. args], workingDirectory);
}
