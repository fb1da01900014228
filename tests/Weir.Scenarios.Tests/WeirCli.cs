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

    /// <summary>
    /// <c>weir status</c> again until it says <c>live</c> (exit 0) or <paramref name="timeout"/> passes: after a new
    /// revision is applied the simulated rollout still takes a moment, and until then "pending: … rolling out" is the
    /// right answer.
    /// </summary>
    public static async Task<(int Code, string Out, string Err)> StatusUntilLiveAsync(string kubeconfig, string ns, string app, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await StatusAsync(kubeconfig, ns, app);
            if (result.Code == 0 || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(500);
        }
    }
}
