using Weir.Testing;

namespace Weir.Cli.Tests.Scenarios;

/// <summary><c>weir status</c> as a user runs it against a scenario's namespace.</summary>
public static class WeirStatus
{
    /// <summary><c>weir status APP -n NS</c> against the given kubeconfig.</summary>
    public static Task<ProcessResult> StatusAsync(string kubeconfig, string ns, string app, params string[] extra) =>
        WeirRun.ExecAsync(["status", app, "-n", ns, "--kubeconfig", kubeconfig, .. extra]);

    /// <summary>
    /// <c>weir status</c> again until it says <c>live</c> (exit 0) or <paramref name="timeout"/> passes: after a new
    /// revision is applied the simulated rollout still takes a moment, and until then "pending: … rolling out" is the
    /// right answer.
    /// </summary>
    public static async Task<ProcessResult> StatusUntilLiveAsync(string kubeconfig, string ns, string app, TimeSpan? timeout = null)
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
