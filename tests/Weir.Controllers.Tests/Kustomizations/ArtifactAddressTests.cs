using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// Where a Kustomization downloads its artifact from: it follows a source's artifact URL as soon as it changes
/// (not only its revision), and a download from a server that stopped answering fails within <c>spec.timeout</c>.
/// </summary>
public sealed class ArtifactAddressTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    [Fact]
    public async Task AChangedArtifactUrlRequeuesTheKustomizationAtOnce()
    {
        await harness.CreateNamespaceAsync("url-moves");
        await harness.PushAsync("url-moves", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: moved\n  namespace: url-moves\ndata:\n  a: b\n",
        });
        await harness.CreateSourceAsync("url-moves", "url-moves");
        await harness.CreateKustomizationAsync("url-moves", "url-moves");
        await harness.WaitForReadyAsync("url-moves", IsTrue);
        var source = await harness.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "url-moves"));
        var url = new Uri(source!["status"]!["artifact"]!["url"]!.GetValue<string>());

        // Same revision, another address where nothing listens: the next download fails, so it must have run.
        var gone = new UriBuilder(url) { Port = TestEnv.FreePort() }.Uri.ToString();
        await SetArtifactUrlAsync("url-moves", gone);
        var failed = await harness.WaitForReadyAsync("url-moves", IsFalse, TimeSpan.FromSeconds(10));
        Assert.StartsWith("failed to download archive: ", Message(failed));

        // Back at a working address: applied again without waiting for the 10m retry interval.
        await SetArtifactUrlAsync("url-moves", url.ToString());
        await harness.WaitForReadyAsync("url-moves", IsTrue, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AFrozenArtifactServerFailsTheDownloadWithinSpecTimeout()
    {
        using var frozen = new FrozenServer();
        await harness.Client.CreateAsync(KubeResource.OCIRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = "frozen-artifacts", ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject { ["url"] = "oci://registry.example/app", ["interval"] = "10m", ["suspend"] = true },
        });
        var digest = "sha256:" + new string('0', 64);
        var url = $"http://{frozen.Host}/ocirepository/flux-system/frozen-artifacts/{new string('0', 64)}.tar.gz";
        await harness.Client.PatchAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "frozen-artifacts"), new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["artifact"] = new JsonObject
                {
                    ["revision"] = "v1.0.0@" + digest,
                    ["digest"] = digest,
                    ["path"] = $"ocirepository/flux-system/frozen-artifacts/{new string('0', 64)}.tar.gz",
                    ["url"] = url,
                    ["size"] = 1,
                    ["lastUpdateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                },
            },
        }, "merge", status: true);

        var started = Stopwatch.StartNew();
        await harness.CreateKustomizationAsync("frozen-artifacts", "frozen-artifacts", new JsonObject { ["timeout"] = "2s" });
        var failed = await harness.WaitForReadyAsync("frozen-artifacts", IsFalse, TimeSpan.FromSeconds(30));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2 + 3), $"reported after {started.Elapsed}, not within the 2s timeout");
        Assert.Equal($"failed to download archive: {url} did not answer within 2s", Message(failed));
    }

    private Task SetArtifactUrlAsync(string source, string url) =>
        harness.Client.PatchAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", source), new JsonObject
        {
            ["status"] = new JsonObject { ["artifact"] = new JsonObject { ["url"] = url } },
        }, "merge", status: true);
}
