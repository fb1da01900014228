using System.Text.Json.Nodes;
using Weir.Controllers.HelmReleases.PostRenderers;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Rendering;
using Weir.Runtime.Kube;
using Weir.Templates.Values;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases.Parts;

/// <summary>Post-renderers: kustomize patches and images checked against kubectl kustomize, and applied through Helm installs on the embedded API server.</summary>
public sealed class PostRendererTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private const string Service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

    private const string Manifests = WebChart.Deployment + "---\n" + WebChart.ConfigMap + "---\n" + Service;

    private static readonly Patch ReplicasPatch = new()
    {
        PatchText = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
    };

    private static readonly Patch LabelPatch = new()
    {
        PatchText = "apiVersion: v1\nkind: Any\nmetadata:\n  name: any\n  annotations:\n    patched: by-selector\n",
        Target = new Selector { LabelSelector = "app=web" },
    };

    private static readonly Patch JsonPatch = new()
    {
        PatchText = "- op: add\n  path: /data/extra\n  value: added\n- op: replace\n  path: /data/greeting\n  value: hi\n",
        Target = new Selector { Kind = "ConfigMap", Name = "web-conf.*" },
    };

    private static readonly ImageOverride[] Images =
    [
        new() { Name = "nginx", NewName = "registry.example/nginx", NewTag = "1.27" },
        new() { Name = "busybox", Digest = "sha256:" + new string('a', 64) },
    ];

    [Fact]
    public void KustomizePatchesAndImagesMatchKubectlKustomize()
    {
        var spec = new KustomizePostRenderer { Patches = [ReplicasPatch, LabelPatch, JsonPatch], Images = Images };
        var dir = Directory.CreateTempSubdirectory("weir-postrender-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "helm-output.yaml"), Manifests);
            var kustomization = new JsonObject
            {
                ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
                ["kind"] = "Kustomization",
                ["resources"] = new JsonArray("helm-output.yaml"),
                ["patches"] = new JsonArray(spec.Patches!.Select(p => (JsonNode)new JsonObject
                {
                    ["patch"] = p.PatchText,
                    ["target"] = p.Target is { } t ? new JsonObject { ["kind"] = t.Kind, ["name"] = t.Name, ["labelSelector"] = t.LabelSelector } : null,
                }).ToArray()),
                ["images"] = new JsonArray(Images.Select(i => (JsonNode)new JsonObject { ["name"] = i.Name, ["newName"] = i.NewName, ["newTag"] = i.NewTag, ["digest"] = i.Digest }).ToArray()),
            };
            File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), kustomization.ToJsonString());
            var expected = KubectlOracle.Kustomize(dir);
            Assert.True(expected.Code == 0, expected.ToString());

            var actual = new KustomizeRenderer(spec).Run(Manifests);

            Assert.Equal(Canonical(expected.Out), Canonical(actual));
            Assert.Contains("registry.example/nginx:1.27", actual, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void OriginLabelsWinOverCommonMetadataAndReachEveryDocument()
    {
        var release = Release("team", "web", new CommonMetadata
        {
            Labels = new Dictionary<string, string> { ["helm.toolkit.fluxcd.io/name"] = "other", ["team"] = "blue" },
            Annotations = new Dictionary<string, string> { ["owner"] = "ops" },
        });

        var output = KubeYaml.ParseAll(ReleasePostRenderer.For(release).Run(Manifests)).Cast<JsonObject>().ToList();

        Assert.Equal(3, output.Count);
        Assert.All(output, o =>
        {
            Assert.Equal("web", o.Labels()["helm.toolkit.fluxcd.io/name"]);
            Assert.Equal("team", o.Labels()["helm.toolkit.fluxcd.io/namespace"]);
            Assert.Equal("blue", o.Labels()["team"]);
            Assert.Equal("ops", o.Annotations()["owner"]);
        });
        // Only metadata: a Deployment's selector and template are left alone.
        Assert.Equal("""{"app":"web"}""", output[0]["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
        Assert.Equal("""{"app":"web"}""", output[0]["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task HelmInstallAppliesThePostRenderedObjects()
    {
        const string ns = "postrender";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        var release = Release(ns, "web") with
        {
            Spec = new HelmReleaseSpec { PostRenderers = [new PostRenderer { Kustomize = new KustomizePostRenderer { Patches = [ReplicasPatch, JsonPatch], Images = Images } }] },
        };
        var helm = new HelmCluster(cluster.Client);

        var installed = await helm.InstallAsync(Chart(), new GoMap(), new InstallOptions("web", ns)
        {
            PostRenderer = ReleasePostRenderer.For(release),
            PostRenderStrategy = ReleasePostRenderer.Strategy(release),
        });

        Assert.Equal("2 registry.example/nginx:1.27 web postrender", await ClusterObjects.KubectlAsync(cluster, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.helm\\.toolkit\\.fluxcd\\.io/name} {.metadata.labels.helm\\.toolkit\\.fluxcd\\.io/namespace}"));
        Assert.Equal("hi added web", await ClusterObjects.KubectlAsync(cluster, "get", "configmap", "web-config", "-n", ns, "-o",
            "jsonpath={.data.greeting} {.data.extra} {.metadata.labels.helm\\.toolkit\\.fluxcd\\.io/name}"));
        // Hooks are post-rendered too (Helm 4's combined strategy).
        Assert.Equal("web", await ClusterObjects.KubectlAsync(cluster, "get", "configmap", "web-hook", "-n", ns, "-o",
            "jsonpath={.metadata.labels.helm\\.toolkit\\.fluxcd\\.io/name}"));
        Assert.DoesNotContain("postrenderer.helm.sh", installed.Manifest, StringComparison.Ordinal);
        Assert.Contains("# Source: web/templates/deployment.yaml", installed.Manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("postrenderer.helm.sh", await ClusterObjects.KubectlAsync(cluster, "get", "deployment", "web", "-n", ns, "-o", "yaml"), StringComparison.Ordinal);

        var upgrade = new KustomizePostRenderer { Images = [new ImageOverride { Name = "nginx", NewTag = "1.28" }] };
        await helm.UpgradeAsync(Chart(), new GoMap(), new UpgradeOptions("web", ns) { PostRenderer = new KustomizeRenderer(upgrade) });

        Assert.Equal("1 nginx:1.28", await ClusterObjects.KubectlAsync(cluster, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"));
    }

    [Fact]
    public async Task AFailingPostRendererFailsTheInstallBeforeAnythingIsWritten()
    {
        const string ns = "postrender-fail";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        var broken = new KustomizePostRenderer { Patches = [new Patch { PatchText = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: nowhere\ndata: {}\n" }] };
        var helm = new HelmCluster(cluster.Client);

        var error = await Assert.ThrowsAsync<RenderException>(() => helm.InstallAsync(Chart(), new GoMap(), new InstallOptions("web", ns)
        {
            PostRenderer = new KustomizeRenderer(broken),
        }));

        Assert.StartsWith("error while running post render on files: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(await helm.Store(ns).HistoryAsync("web"));
        Assert.Null(await cluster.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(ns, "web-config")));
    }

    [Theory]
    [InlineData(PostRenderStrategy.Combined, true)]
    [InlineData(PostRenderStrategy.Separate, true)]
    [InlineData(PostRenderStrategy.NoHooks, false)]
    public void StrategiesDecideWhetherHooksArePostRendered(PostRenderStrategy strategy, bool hookLabelled)
    {
        var rendered = new ReleaseRenderer().Render(Chart(), new GoMap(), new RenderRequest(new ReleaseOptions("web", "ns") { IsInstall = true })
        {
            PostRenderer = MetadataRenderer.OriginLabels("ns", "web"),
            PostRenderStrategy = strategy,
        });

        var hook = (JsonObject)KubeYaml.Parse(rendered.Hooks.Single().Manifest)!;
        Assert.Equal(hookLabelled, hook.Labels().ContainsKey("helm.toolkit.fluxcd.io/name"));
        Assert.Equal("web/templates/hook.yaml", rendered.Hooks.Single().Path);
        Assert.All(rendered.Manifests, m => Assert.Contains("helm.toolkit.fluxcd.io/name: web", m.Content, StringComparison.Ordinal));
        Assert.Equal(["web/templates/configmap.yaml", "web/templates/deployment.yaml"], rendered.Manifests.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SeparateAvoidsTheDuplicateIdThatCombinedHitsWhenAHookRepeatsAResource()
    {
        var chart = Chart(("again.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  annotations:\n    helm.sh/hook: pre-install\n"));
        RenderedRelease Render(PostRenderStrategy strategy) => new ReleaseRenderer().Render(chart, new GoMap(), new RenderRequest(new ReleaseOptions("web", "ns") { IsInstall = true })
        {
            PostRenderer = new KustomizeRenderer(new KustomizePostRenderer { Images = Images }),
            PostRenderStrategy = strategy,
        });

        var error = Assert.Throws<RenderException>(() => Render(PostRenderStrategy.Combined));
        Assert.Contains("may not add resource with an already registered id", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Render(PostRenderStrategy.Separate).Hooks.Count);
    }

    [Fact]
    public void DigestsFollowThePostRenderersAndCommonMetadata()
    {
        var one = new[] { new PostRenderer { Kustomize = new KustomizePostRenderer { Patches = [ReplicasPatch] } } };
        var two = new[] { new PostRenderer { Kustomize = new KustomizePostRenderer { Patches = [ReplicasPatch], Images = Images } } };

        // Go's encoder writes a nil list as null and ends with a newline.
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("null\n"u8.ToArray())), ReleasePostRenderer.Digest(null));
        Assert.Equal(ReleasePostRenderer.Digest(one), ReleasePostRenderer.Digest([.. one]));
        Assert.NotEqual(ReleasePostRenderer.Digest(one), ReleasePostRenderer.Digest(two));
        Assert.NotEqual(ReleasePostRenderer.CommonMetadataDigest(null),
            ReleasePostRenderer.CommonMetadataDigest(new CommonMetadata { Labels = new Dictionary<string, string> { ["a"] = "b" } }));
    }

    private static HelmRelease Release(string ns, string name, CommonMetadata? common = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new HelmReleaseSpec { CommonMetadata = common },
    };

    private static Chart Chart(params (string Name, string Text)[] extra) => WebChart.With([
        ("hook.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-hook\n  annotations:\n    helm.sh/hook: post-install\ndata:\n  at: install\n"),
        .. extra]);

    /// <summary>The objects of a stream, ordered by kind and name, as one comparable text.</summary>
    private static string Canonical(string yaml) => string.Join("\n---\n", KubeYaml.ParseAll(yaml).Cast<JsonObject>()
        .OrderBy(o => o.Kind(), StringComparer.Ordinal).ThenBy(o => o.Name(), StringComparer.Ordinal)
        .Select(o => KubeYaml.Serialize(o, new YamlOptions { SortKeys = true })));
}
