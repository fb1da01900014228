using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;
using static Weir.Sources.Tests.ArtifactGenerators.GeneratorFixture;
using static Weir.Testing.StatusConditions;

namespace Weir.Sources.Tests.ArtifactGenerators;

/// <summary>
/// ArtifactGenerators on the controllers as <c>weir up</c> runs them, reading OCIRepositories pushed to the embedded
/// registry: composition of two sources, decomposition by pathPattern, a source change regenerating only what it
/// touches, garbage collection of outputs no longer generated, and the failures source-watcher reports.
/// </summary>
public sealed class ArtifactGeneratorReconcilerTests(SourceControllerHarness harness, WeirRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<WeirRegistryFixture>
{
    [Fact]
    public async Task ComposesTwoSourcesIntoOneExternalArtifact()
    {
        await PublishAsync(harness, registry, "compose-app", "v1", new Dictionary<string, string>
        {
            ["deploy/app.yaml"] = "kind: Deployment\n",
            ["deploy/README.md"] = "docs\n",
            ["deploy/sub/svc.yaml"] = "kind: Service\n",
        });
        await PublishAsync(harness, registry, "compose-config", "v7", new Dictionary<string, string>
        {
            ["envs/prod/configmap.yaml"] = "kind: ConfigMap\n",
            ["envs/dev/configmap.yaml"] = "kind: ConfigMap # dev\n",
        });
        await CreateAsync(harness, "composite", """
            {"sources":[{"alias":"app","kind":"OCIRepository","name":"compose-app"},{"alias":"config","kind":"OCIRepository","name":"compose-config"}],
             "artifacts":[{"name":"composite","originRevision":"@config","copy":[
               {"from":"@app/deploy/**","to":"@artifact/app/","exclude":["*.md"]},
               {"from":"@config/envs/prod/configmap.yaml","to":"@artifact/app/env.yaml"}]}]}
            """);

        var ready = await harness.WaitForReadyAsync(KubeResource.ArtifactGenerator, "composite", IsTrue);

        Assert.Equal("reconciliation succeeded, generated 1 artifact(s)", Message(ready));
        Assert.Equal("Succeeded", Reason(ready));
        Assert.Equal(
            new Dictionary<string, string> { ["app/app.yaml"] = "kind: Deployment\n", ["app/env.yaml"] = "kind: ConfigMap\n", ["app/sub/svc.yaml"] = "kind: Service\n" },
            await FilesAsync(harness, "composite"));
        var ea = (await ExternalArtifactAsync(harness, "composite"))!;
        var artifact = ea["status"]!["artifact"]!;
        Assert.Matches("^latest@sha256:[0-9a-f]{64}$", artifact["revision"]!.GetValue<string>());
        Assert.Equal(artifact["revision"]!.GetValue<string>(), "latest@" + artifact["digest"]!.GetValue<string>());
        // The origin revision the source recorded (its org.opencontainers.image.revision), not its own revision.
        Assert.Equal("v7@sha1:0123456789abcdef0123456789abcdef01234567", artifact["metadata"]!["org.opencontainers.image.revision"]!.GetValue<string>());
        Assert.True(IsReady(ea, "True"));
        Assert.Equal("ArtifactGenerator", ea["spec"]!["sourceRef"]!["kind"]!.GetValue<string>());
        Assert.Equal("composite", ea["spec"]!["sourceRef"]!["name"]!.GetValue<string>());
        Assert.Equal("source-watcher", ea["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        var generator = (await harness.Client.GetAsync(KubeResource.ArtifactGenerator, new ObjectKey("flux-system", "composite")))!;
        Assert.Equal(generator["metadata"]!["uid"]!.GetValue<string>(), ea["metadata"]!["labels"]!["source.extensions.fluxcd.io/generator"]!.GetValue<string>());
        var inventory = Assert.Single(generator["status"]!["inventory"]!.AsArray())!;
        Assert.Equal(artifact["digest"]!.GetValue<string>(), inventory["digest"]!.GetValue<string>());
        Assert.StartsWith("sha256:", generator["status"]!["observedSourcesDigest"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecomposesASourceByPathPatternAndRegeneratesOnlyWhatChanged()
    {
        var v1 = new Dictionary<string, string>
        {
            ["apps/frontend/deploy.yaml"] = "name: frontend\n",
            ["apps/Backend/deploy.yaml"] = "name: backend\n",
            ["apps/worker/deploy.yaml"] = "name: worker\n",
            ["docs/index.md"] = "# docs\n",
        };
        var sourceV1 = await PublishAsync(harness, registry, "mono", "v1", v1);
        await CreateAsync(harness, "mono", """
            {"sources":[{"alias":"repo","kind":"OCIRepository","name":"mono"}],
             "pathPattern":"@repo/apps/{app}",
             "artifacts":[{"name":"{app}-manifests","revision":"@repo","copy":[{"from":"@repo/apps/{app}/**","to":"@artifact/"}]},
                          {"name":"{app}-content","copy":[{"from":"@repo/apps/{app}/**","to":"@artifact/"}]}]}
            """);
        var ready = await harness.WaitForReadyAsync(KubeResource.ArtifactGenerator, "mono", IsTrue);
        Assert.Equal("reconciliation succeeded, generated 6 artifact(s)", Message(ready));

        Assert.Equal(new Dictionary<string, string> { ["deploy.yaml"] = "name: backend\n" }, await FilesAsync(harness, "backend-content"));
        var backend = (await ExternalArtifactAsync(harness, "backend-manifests"))!;
        Assert.Equal("backend", backend["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal(sourceV1, backend["status"]!["artifact"]!["revision"]!.GetValue<string>());
        var frontendBefore = Revision(await ExternalArtifactAsync(harness, "frontend-content"));
        var backendBefore = Revision(await ExternalArtifactAsync(harness, "backend-content"));

        // v2 changes the frontend and drops the worker.
        var v2 = new Dictionary<string, string>(v1) { ["apps/frontend/deploy.yaml"] = "name: frontend\nreplicas: 2\n" };
        v2.Remove("apps/worker/deploy.yaml");
        var sourceV2 = await PublishAsync(harness, registry, "mono", "v2", v2);

        await WaitForAsync(() => ExternalArtifactAsync(harness, "frontend-content"), ea => Revision(ea) != frontendBefore,
            "the frontend artifact regenerated");
        await WaitForAsync(() => harness.Client.GetAsync(KubeResource.ArtifactGenerator, new ObjectKey("flux-system", "mono")),
            g => g["status"]?["inventory"]?.AsArray().Count == 4, "the worker's artifacts left the inventory");
        Assert.Equal(backendBefore, Revision(await ExternalArtifactAsync(harness, "backend-content")));
        Assert.Equal(sourceV2, Revision(await ExternalArtifactAsync(harness, "backend-manifests")));
        Assert.Null(await ExternalArtifactAsync(harness, "worker-content"));
        Assert.Null(await ExternalArtifactAsync(harness, "worker-manifests"));
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "externalartifact", "flux-system", "worker-content")));
        Assert.Equal("name: frontend\nreplicas: 2\n", (await FilesAsync(harness, "frontend-content"))["deploy.yaml"]);
    }

    [Fact]
    public async Task AMissingSourceFailsReadyNamingIt()
    {
        await CreateAsync(harness, "orphan", """
            {"sources":[{"alias":"gone","kind":"OCIRepository","name":"no-such-repo"}],
             "artifacts":[{"name":"orphan","copy":[{"from":"@gone/**","to":"@artifact/"}]}]}
            """);

        var failed = await harness.WaitForReadyAsync(KubeResource.ArtifactGenerator, "orphan", IsFalse);

        Assert.Equal("SourceFetchFailed", Reason(failed));
        Assert.Equal("get sources failed: ocirepositories.source.toolkit.fluxcd.io \"no-such-repo\" not found", Message(failed));
    }

    [Fact]
    public async Task ADuplicateAliasStallsTheGenerator()
    {
        await CreateAsync(harness, "twice", """
            {"sources":[{"alias":"a","kind":"OCIRepository","name":"x"},{"alias":"a","kind":"GitRepository","name":"y"}],
             "artifacts":[{"name":"twice","copy":[{"from":"@a/**","to":"@artifact/"}]}]}
            """);

        var failed = await harness.WaitForReadyAsync(KubeResource.ArtifactGenerator, "twice", IsFalse);

        Assert.Equal("ValidationFailed", Reason(failed));
        Assert.Equal("duplicate source alias 'a' found", Message(failed));
        var generator = (await harness.Client.GetAsync(KubeResource.ArtifactGenerator, new ObjectKey("flux-system", "twice")))!;
        Assert.True(Condition(generator, "Stalled") is { } stalled && IsTrue(stalled));
    }

    [Fact]
    public async Task AHostileTarballInAnExtractCopyFailsTheBuildAndWritesNothing()
    {
        var hostile = RawArtifacts.TarGz(tar =>
            tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "chart/values.yaml") { LinkName = "/etc/passwd" }));
        await PublishRawAsync(harness, registry, "hostile", "v1", TarGz(new Dictionary<string, byte[]> { ["charts/evil-1.0.0.tgz"] = hostile }));
        await CreateAsync(harness, "evil", """
            {"sources":[{"alias":"src","kind":"OCIRepository","name":"hostile"}],
             "artifacts":[{"name":"evil","copy":[{"from":"@src/charts/*.tgz","to":"@artifact/","strategy":"Extract"}]}]}
            """);

        var failed = await harness.WaitForReadyAsync(KubeResource.ArtifactGenerator, "evil", IsFalse);

        Assert.Equal("BuildFailed", Reason(failed));
        Assert.Equal(
            "evil build failed: failed to apply copy operations: failed to apply copy operation from '@src/charts/*.tgz' to '@artifact/': " +
            "failed to extract tarball 'charts/evil-1.0.0.tgz' to '.': tar file entry chart/values.yaml is a symlink, which is not allowed in this context",
            Message(failed));
        Assert.Null(await ExternalArtifactAsync(harness, "evil"));
    }

    private static string? Revision(JsonObject? ea) => ea?["status"]?["artifact"]?["revision"]?.GetValue<string>();
}
