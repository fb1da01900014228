using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

public sealed class OCIRepositoryReconcilerTests(SourceControllerHarness harness, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<DockerRegistryFixture>
{
    private static bool IsTrue(JsonObject c) => c["status"]!.GetValue<string>() == "True";

    private static bool IsFalse(JsonObject c) => c["status"]!.GetValue<string>() == "False";

    private string Url(string repo) => $"oci://{registry.Host}/{repo}";

    [Fact]
    public async Task SemverRangeFollowsNewPushes()
    {
        var v1 = await SourceControllerHarness.PushAsync(registry.Host, "semver-app", "v1.0.0", "v: 1");
        await harness.CreateRepositoryAsync("semver-app", Url("semver-app"), new JsonObject { ["semver"] = ">=1.0.0" });
        var ready = await harness.WaitForReadyAsync("semver-app", IsTrue);
        Assert.Equal($"stored artifact for digest 'v1.0.0@{v1.Digest}'", ready["message"]!.GetValue<string>());
        Assert.Equal("Succeeded", ready["reason"]!.GetValue<string>());

        var v2 = await SourceControllerHarness.PushAsync(registry.Host, "semver-app", "v1.1.0", "v: 2");
        await SourceControllerHarness.PushAsync(registry.Host, "semver-app", "v2.0.0-rc.1", "v: 3");
        await harness.RequestReconcileAsync("semver-app");
        await harness.WaitForReadyAsync("semver-app", c => IsTrue(c) && c["message"]!.GetValue<string>().Contains($"v1.1.0@{v2.Digest}"));

        var status = (await harness.GetAsync("semver-app"))["status"]!;
        var artifact = status["artifact"]!;
        Assert.Equal($"v1.1.0@{v2.Digest}", artifact["revision"]!.GetValue<string>());
        Assert.Equal("v1.1.0@sha1:0123456789abcdef0123456789abcdef01234567", artifact["metadata"]!["org.opencontainers.image.revision"]!.GetValue<string>());
        Assert.NotNull(status["lastHandledReconcileAt"]);

        using var http = new HttpClient();
        var tarball = await http.GetByteArrayAsync(artifact["url"]!.GetValue<string>());
        Assert.Equal(artifact["size"]!.GetValue<long>(), tarball.Length);
        Assert.Equal(artifact["digest"]!.GetValue<string>(), OciDigest.Of(tarball));
    }

    [Fact]
    public async Task PinnedTagIgnoresNewerPushesUntilThePinChanges()
    {
        var v15 = await SourceControllerHarness.PushAsync(registry.Host, "pinned-app", "v1.5.0", "v: 15");
        await harness.CreateRepositoryAsync("pinned-app", Url("pinned-app"), new JsonObject { ["tag"] = "v1.5.0" });
        await harness.WaitForReadyAsync("pinned-app", c => IsTrue(c) && c["message"]!.GetValue<string>().Contains($"v1.5.0@{v15.Digest}"));

        var v16 = await SourceControllerHarness.PushAsync(registry.Host, "pinned-app", "v1.6.0", "v: 16");
        await harness.RequestReconcileAsync("pinned-app");
        await Task.Delay(1500);
        var pinned = await harness.WaitForReadyAsync("pinned-app", IsTrue);
        Assert.Equal($"stored artifact for digest 'v1.5.0@{v15.Digest}'", pinned["message"]!.GetValue<string>());

        await harness.PatchSpecAsync("pinned-app", new JsonObject { ["ref"] = new JsonObject { ["tag"] = "v1.6.0" } });
        await harness.WaitForReadyAsync("pinned-app", c => c["message"]!.GetValue<string>() == $"stored artifact for digest 'v1.6.0@{v16.Digest}'");
    }

    [Fact]
    public async Task DigestPinHoldsAndRevisionIsTheDigest()
    {
        var first = await SourceControllerHarness.PushAsync(registry.Host, "digest-app", "latest", "v: a");
        await harness.CreateRepositoryAsync("digest-app", Url("digest-app"), new JsonObject { ["digest"] = first.Digest });
        await harness.WaitForReadyAsync("digest-app", IsTrue);
        await SourceControllerHarness.PushAsync(registry.Host, "digest-app", "latest", "v: b");
        await harness.RequestReconcileAsync("digest-app");
        await Task.Delay(1500);
        var ready = await harness.WaitForReadyAsync("digest-app", IsTrue);
        Assert.Equal($"stored artifact for digest '{first.Digest}'", ready["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CopyStoresTheLayerAsItIs()
    {
        await SourceControllerHarness.PushAsync(registry.Host, "copy-app", "v1.0.0", "v: 1");
        using var client = new RegistryClient(registry.Host, new RegistryClientOptions { Insecure = true });
        var layer = (await client.GetManifestAsync("copy-app", "v1.0.0")).AsManifest().Layers[0];
        await harness.CreateRepositoryAsync("copy-app", Url("copy-app"), new JsonObject { ["tag"] = "v1.0.0" }, extra: new JsonObject
        {
            ["layerSelector"] = new JsonObject { ["mediaType"] = layer.MediaType, ["operation"] = "copy" },
        });
        await harness.WaitForReadyAsync("copy-app", IsTrue);
        var status = (await harness.GetAsync("copy-app"))["status"]!;
        Assert.Equal(layer.Digest, status["artifact"]!["digest"]!.GetValue<string>());
        Assert.Equal("copy", status["observedLayerSelector"]!["operation"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASuspendedRepositoryIsLeftAlone()
    {
        await SourceControllerHarness.PushAsync(registry.Host, "suspended-app", "v1.0.0", "v: 1");
        await harness.CreateRepositoryAsync("suspended-app", Url("suspended-app"), new JsonObject { ["tag"] = "v1.0.0" },
            extra: new JsonObject { ["suspend"] = true });
        await harness.CreateRepositoryAsync("suspended-witness", Url("suspended-app"), new JsonObject { ["tag"] = "v1.0.0" });
        await harness.WaitForReadyAsync("suspended-witness", IsTrue);
        Assert.Null((await harness.GetAsync("suspended-app"))["status"]?["conditions"]);
    }

    [Fact]
    public async Task DeletingARepositoryRemovesItsStoredArtifacts()
    {
        await SourceControllerHarness.PushAsync(registry.Host, "deleted-app", "v1.0.0", "v: 1");
        await harness.CreateRepositoryAsync("deleted-app", Url("deleted-app"), new JsonObject { ["tag"] = "v1.0.0" });
        await harness.WaitForReadyAsync("deleted-app", IsTrue);
        var stored = (await harness.GetAsync("deleted-app"))["status"]!["artifact"]!["path"]!.GetValue<string>();
        Assert.True(harness.Store.Exists(stored));
        var directory = Path.Combine(harness.Store.Root, ArtifactStore.ObjectDirectory("OCIRepository", "flux-system", "deleted-app"));
        Assert.True(Directory.Exists(directory));

        await harness.Client.DeleteAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "deleted-app"));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await harness.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "deleted-app")) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Null(await harness.Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "deleted-app")));
        Assert.False(Directory.Exists(directory), $"{directory} outlived its OCIRepository");
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public async Task NoTagInRangeSaysSo()
    {
        await SourceControllerHarness.PushAsync(registry.Host, "range-app", "v2.1.0", "v: 1");
        await harness.CreateRepositoryAsync("range-app", Url("range-app"), new JsonObject { ["semver"] = ">=3.0.0" });
        var failed = await harness.WaitForReadyAsync("range-app", IsFalse);
        Assert.Equal($"failed to determine the artifact tag for '{Url("range-app")}': no match found for semver: >=3.0.0", failed["message"]!.GetValue<string>());
        Assert.Equal("ReadOperationFailed", failed["reason"]!.GetValue<string>());
        var conditions = (await harness.GetAsync("range-app"))["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "FetchFailed" && c["status"]!.GetValue<string>() == "True");
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Reconciling" && c["reason"]!.GetValue<string>() == "ProgressingWithRetry");
    }

    [Fact]
    public async Task UrlWithATagStallsWithFluxsMessage()
    {
        await harness.CreateRepositoryAsync("tagged-url", Url("app") + ":v1", new JsonObject { ["tag"] = "v1" });
        var failed = await harness.WaitForReadyAsync("tagged-url", IsFalse);
        Assert.Equal($"URL validation failed for '{Url("app")}:v1': URL must not contain a tag; remove ':v1'", failed["message"]!.GetValue<string>());
        var conditions = (await harness.GetAsync("tagged-url"))["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Stalled" && c["status"]!.GetValue<string>() == "True");
    }

    [Fact]
    public async Task AnArtifactOverTheSizeLimitIsRefusedAndNothingIsStored()
    {
        var big = new StringBuilder();
        var random = new Random(7);
        while (big.Length < 6 * 1024 * 1024)
        {
            big.Append(random.NextInt64().ToString("x16"));
        }

        await SourceControllerHarness.PushAsync(registry.Host, "big-app", "v1.0.0", big.ToString());
        await harness.CreateRepositoryAsync("big-app", Url("big-app"), new JsonObject { ["tag"] = "v1.0.0" });
        var failed = await harness.WaitForReadyAsync("big-app", IsFalse);
        Assert.StartsWith($"failed to pull artifact from '{Url("big-app")}'", failed["message"]!.GetValue<string>());
        Assert.Contains("exceeds the limit", failed["message"]!.GetValue<string>());
        Assert.Equal("OCIArtifactPullFailed", failed["reason"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "big-app"))
            && Directory.GetFiles(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "big-app"), "*.tar.gz").Length > 0);
    }

    [Fact]
    public async Task AnArtifactHoldingASymlinkIsRefusedWithItsCause()
    {
        var tarball = RawArtifacts.TarGz(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "deploy.yaml") { DataStream = new MemoryStream("v: 1"u8.ToArray()) });
            // Even a link whose text stays inside the artifact: only resolved can it be judged, so none is taken.
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "config/admin.conf") { LinkName = "../deploy.yaml" });
        });

        await RawArtifacts.PushLayerAsync(registry.Host, "symlink-app", "v1", tarball);
        await harness.CreateRepositoryAsync("symlink-app", Url("symlink-app"), new JsonObject { ["tag"] = "v1" });

        var failed = await harness.WaitForReadyAsync("symlink-app", IsFalse);
        Assert.Equal("failed to extract layer contents from artifact: tar file entry config/admin.conf is a symlink, which is not allowed in this context",
            failed["message"]!.GetValue<string>());
        Assert.Equal("OCIArtifactLayerOperationFailed", failed["reason"]!.GetValue<string>());
        var status = (await harness.GetAsync("symlink-app"))["status"]!;
        Assert.Null(status["artifact"]);
        Assert.Contains(status["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "FetchFailed" && c["status"]!.GetValue<string>() == "True");
        Assert.DoesNotContain(harness.Errors, e => e.Contains("symlink-app", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "symlink-app"))
            && Directory.GetFiles(Path.Combine(harness.Store.Root, "ocirepository", "flux-system", "symlink-app"), "*.tar.gz").Length > 0);
    }

    [Fact]
    public async Task ALayerThatIsNotATarballIsRefused()
    {
        await RawArtifacts.PushLayerAsync(registry.Host, "json-app", "v1", "{\"not\":\"a tarball\"}"u8.ToArray(), "application/json");

        await harness.CreateRepositoryAsync("json-app", Url("json-app"), new JsonObject { ["tag"] = "v1" });
        var failed = await harness.WaitForReadyAsync("json-app", IsFalse);
        Assert.StartsWith("failed to extract layer contents from artifact: ", failed["message"]!.GetValue<string>());

        await harness.CreateRepositoryAsync("json-app-selector", Url("json-app"), new JsonObject { ["tag"] = "v1" },
            extra: new JsonObject { ["layerSelector"] = new JsonObject { ["mediaType"] = "application/vnd.cncf.flux.content.v1.tar+gzip" } });
        var missing = await harness.WaitForReadyAsync("json-app-selector", IsFalse);
        Assert.Equal("failed to find layer with media type 'application/vnd.cncf.flux.content.v1.tar+gzip' in artifact", missing["message"]!.GetValue<string>());
    }
}

public sealed class OCIRepositoryKubectlTests(SourceControllerHarness harness, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<DockerRegistryFixture>
{
    [Fact]
    public async Task KubectlGetShowsTheSeedsLayout()
    {
        var pushed = await SourceControllerHarness.PushAsync(registry.Host, "my-app", "v2.1.0", "v: 1");
        await harness.CreateRepositoryAsync("my-app", $"oci://{registry.Host}/my-app", new JsonObject { ["semver"] = ">=2.0.0" });
        await harness.WaitForReadyAsync("my-app", c => c["status"]!.GetValue<string>() == "True");

        foreach (var minor in Kubectl.Minors)
        {
            var (code, output, error) = await Kubectl.RunAsync(harness.Cluster.Server.KubeconfigPath!, minor, "get", "ocirepository", "-n", "flux-system");
            Assert.True(code == 0, $"kubectl 1.{minor}: {error}");
            var lines = output.TrimEnd('\n').Split('\n');
            Assert.Matches(@"^NAME\s+READY\s+STATUS\s+AGE$", lines[0]);
            var row = Assert.Single(lines, l => l.StartsWith("my-app ", StringComparison.Ordinal));
            Assert.Matches($@"^my-app\s+True\s+stored artifact for digest 'v2\.1\.0@{pushed.Digest}'\s+\d+s$", row);
        }
    }
}
