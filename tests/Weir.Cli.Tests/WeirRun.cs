using System.Diagnostics;
using Weir.Testing;

namespace Weir.Cli.Tests;

/// <summary>
/// The weir CLI as a user runs it: its own process (<c>dotnet weir.dll</c>, through Weir.Testing's
/// <see cref="TestProcess"/>). Only this test project starts weir; the others test the libraries in-process.
/// </summary>
public static class WeirRun
{
    /// <summary>The weir CLI, copied next to the test assembly by this project's reference to Weir.Cli.</summary>
    public static string Dll => TestPaths.Output("weir.dll");

    /// <summary>Runs <c>weir ARGS</c> against <paramref name="kubeconfig"/> with optional extra environment.</summary>
    public static Task<ProcessResult> RunAsync(string kubeconfig, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        TestProcess.RunAsync("dotnet", [Dll, .. args], environment: Environment(kubeconfig, env), timeout: TimeSpan.FromSeconds(60));

    public static Task<ProcessResult> RunAsync(string kubeconfig, params string[] args) => RunAsync(kubeconfig, null, args);

    /// <summary>Runs <c>weir ARGS</c> that needs no cluster (build, push, up --list-scenarios …), optionally in <paramref name="workingDirectory"/>.</summary>
    public static Task<ProcessResult> ExecAsync(IEnumerable<string> args, string? workingDirectory = null) =>
        TestProcess.RunAsync("dotnet", [Dll, .. args], workingDirectory);

    /// <summary>Starts <c>weir ARGS</c> against <paramref name="kubeconfig"/> without waiting (watches, long-running verbs).</summary>
    public static Process Start(string kubeconfig, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        TestProcess.Start("dotnet", [Dll, .. args], environment: Environment(kubeconfig, env));

    /// <summary>Starts a long-running <c>weir ARGS</c> that reads no kubeconfig from the environment (<c>weir cluster</c>, <c>weir up</c>, <c>weir controller --kubeconfig</c>).</summary>
    public static Process Start(IEnumerable<string> args) => TestProcess.Start("dotnet", [Dll, .. args]);

    private static Dictionary<string, string?> Environment(string kubeconfig, IReadOnlyDictionary<string, string>? env)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["WEIR_POLL_INTERVAL"] = "200ms",
            ["FLUX_SYSTEM_NAMESPACE"] = null,
            ["WEIR_TTY"] = null,
        };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
