using k8s;
using Weir.Helm.Releases;

namespace Weir.Helm.Actions;

/// <summary>The release after its tests ran (each test hook's last run recorded), and the test Pods' logs when asked.</summary>
public sealed record TestResult(Release Release, IReadOnlyDictionary<string, string> Logs);

/// <summary>
/// <c>helm test</c>: the latest revision's <c>test</c> hooks run in weight order and waited for; the record is updated
/// with their runs either way. A failed test is a <see cref="ReleaseTestFailedException"/>.
/// </summary>
internal sealed class TestAction(HelmCluster cluster)
{
    public async Task<TestResult> RunAsync(TestOptions o, CancellationToken cancellationToken)
    {
        var store = cluster.Store(o.StorageNamespace ?? o.Namespace);
        var release = await store.LastAsync(o.ReleaseName, cancellationToken)
            ?? throw new HelmActionException($"release: not found");
        HelmActionException? failure = null;
        try
        {
            release = await cluster.Hooks.RunAsync(release, "test", o.Timeout, cancellationToken, o.Filter, new HelmLog(o.Log));
        }
        catch (HookFailedException e)
        {
            release = e.Release!;
            failure = e;
        }

        await store.UpdateAsync(release, cancellationToken);
        var logs = o.Logs ? await LogsAsync(release, cancellationToken) : new Dictionary<string, string>();
        return failure is null ? new TestResult(release, logs) : throw new ReleaseTestFailedException(failure.Message, release);
    }

    /// <summary>The logs of the test Pods still present (a <c>hook-succeeded</c> policy may have deleted them).</summary>
    private async Task<Dictionary<string, string>> LogsAsync(Release release, CancellationToken cancellationToken)
    {
        var logs = new Dictionary<string, string>();
        foreach (var hook in release.Hooks.Where(h => h.Kind == "Pod" && h.Events.Contains("test")))
        {
            if (await cluster.Resources.Client.GetPathAsync($"/api/v1/namespaces/{release.Namespace}/pods/{hook.Name}", cancellationToken) is null)
            {
                continue;
            }

            await using var stream = await cluster.Resources.Client.Kubernetes.CoreV1.ReadNamespacedPodLogAsync(
                hook.Name, release.Namespace, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            logs[hook.Name] = await reader.ReadToEndAsync(cancellationToken);
        }

        return logs;
    }
}
