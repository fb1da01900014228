using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Sources.Tests.OciRepositories;

/// <summary>
/// A registry that stops answering: <c>spec.timeout</c> bounds the whole fetch, retries included, and the artifact
/// already stored stays reachable at the artifact server's current address meanwhile.
/// </summary>
public sealed class FetchBoundsTests(SourceControllerHarness harness, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<DockerRegistryFixture>
{
    [Fact]
    public async Task AFrozenRegistryFailsTheFetchWithinSpecTimeout()
    {
        using var frozen = new FrozenServer();
        var started = Stopwatch.StartNew();
        await harness.CreateRepositoryAsync("frozen-app", $"oci://{frozen.Host}/frozen-app", new JsonObject { ["tag"] = "v1.0.0" },
            extra: new JsonObject { ["timeout"] = "2s" });

        var failed = await harness.WaitForReadyAsync("frozen-app", IsFalse);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2 + 3), $"reported after {started.Elapsed}, not within the 2s timeout");
        Assert.Equal(
            $"failed to determine artifact digest: failed to resolve manifest 'v1.0.0' of {frozen.Host}/frozen-app: registry {frozen.Host} did not answer within 2s",
            failed["message"]!.GetValue<string>());
        Assert.Equal("OCIArtifactPullFailed", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task AStaleArtifactUrlIsRewrittenBeforeTheFetch()
    {
        await SourceControllerHarness.PushAsync(registry.Host, "moved-app", "v1.0.0", "v: 1");
        await harness.CreateRepositoryAsync("moved-app", $"oci://{registry.Host}/moved-app", new JsonObject { ["tag"] = "v1.0.0" });
        await harness.WaitForReadyAsync("moved-app", IsTrue);
        var key = new ObjectKey("flux-system", "moved-app");
        var status = (await harness.GetAsync("moved-app"))["status"]!;
        var (url, latest) = (status["artifact"]!["url"]!.GetValue<string>(), status["url"]!.GetValue<string>());
        Assert.StartsWith(harness.Server.Address.ToString(), url);

        // As a previous run of the artifact server on another port left them; then the registry stops answering.
        string Stale(string current) => current.Replace(harness.Server.Address.ToString(), "http://127.0.0.1:1/", StringComparison.Ordinal);
        await harness.Client.PatchAsync(KubeResource.OCIRepository, key, new JsonObject
        {
            ["status"] = new JsonObject { ["artifact"] = new JsonObject { ["url"] = Stale(url) }, ["url"] = Stale(latest) },
        }, "merge", status: true);
        using var frozen = new FrozenServer();
        await harness.PatchSpecAsync("moved-app", new JsonObject { ["url"] = $"oci://{frozen.Host}/moved-app", ["timeout"] = "30s" });

        var deadline = Stopwatch.StartNew();
        JsonNode? current = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            current = (await harness.GetAsync("moved-app"))["status"];
            if (current?["artifact"]?["url"]?.GetValue<string>() == url && current["url"]?.GetValue<string>() == latest)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the artifact URLs were not rewritten while the fetch waited on a frozen registry: {current?.ToJsonString()}");
    }
}
