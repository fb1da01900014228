using System.Diagnostics;
using System.Text;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>Runs the real weir CLI as a process against a kubeconfig, with optional extra environment.</summary>
public static class WeirRun
{
    public sealed record Result(int Code, string Out, string Err);

    public static async Task<Result> RunAsync(string kubeconfig, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var process = Start(kubeconfig, env, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(string kubeconfig, params string[] args) => RunAsync(kubeconfig, null, args);

    public static Process Start(string kubeconfig, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(TestPaths.WeirDll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["KUBECONFIG"] = kubeconfig;
        psi.Environment["WEIR_POLL_INTERVAL"] = "200ms";
        psi.Environment.Remove("FLUX_SYSTEM_NAMESPACE");
        psi.Environment.Remove("WEIR_TTY");
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        return Process.Start(psi)!;
    }
}
