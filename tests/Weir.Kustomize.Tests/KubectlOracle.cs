using System.Diagnostics;

namespace Weir.Kustomize.Tests;

/// <summary>Runs the real <c>kubectl kustomize</c> (the oracle for builds).</summary>
public static class KubectlOracle
{
    public static (int ExitCode, string Stdout, string Stderr) Kustomize(string directory)
    {
        var psi = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
