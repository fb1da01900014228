using Weir.Testing;

namespace Weir.Scenarios.Tests;

/// <summary>The weir CLI as a user runs it: a separate process.</summary>
public static class WeirCli
{
    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        TestEnv.RunAsync("dotnet", [TestPaths.WeirDll, .. args]);

    /// <summary><c>weir status APP -n NS</c> against the given kubeconfig.</summary>
    public static Task<(int Code, string Out, string Err)> StatusAsync(string kubeconfig, string ns, string app, params string[] extra) =>
        RunAsync(["status", app, "-n", ns, "--kubeconfig", kubeconfig, .. extra]);
}
