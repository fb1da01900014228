using System.Diagnostics;

namespace Weir.Cluster.Tests;

/// <summary>The result of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"rc={ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs one real kubectl binary against a kubeconfig, with its own discovery cache.</summary>
public sealed class Kubectl(string binary, string kubeconfig, string workDir)
{
    public string Kubeconfig { get; } = kubeconfig;

    private readonly string _cacheDir = Path.Combine(workDir, "kube-cache");

    public string Binary { get; } = binary;

    public string WorkDir { get; } = workDir;

    /// <summary>The same binary and work directory acting through another kubeconfig (another user).</summary>
    public Kubectl As(string otherKubeconfig) => new(Binary, otherKubeconfig, WorkDir);

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"{Path.GetFileName(Binary)} {string.Join(' ', args)} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>Starts kubectl without waiting (for -w and background steps).</summary>
    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkDir,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(_cacheDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HOME"] = WorkDir;
        psi.Environment.Remove("KUBECONFIG");
        return Process.Start(psi)!;
    }
}
