using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// <c>weir create … --export</c> prints what flux prints and real kubectl applies it; without <c>--export</c> the
/// object is created and weir waits for the controllers (the real ones, against a real S3 server) to make it Ready;
/// <c>weir get sources</c> and <c>weir reconcile source</c> then show and refresh it.
/// </summary>
public sealed class CreateTests(ControllerStack stack, S3ServerFixture s3) : IClassFixture<ControllerStack>, IClassFixture<S3ServerFixture>
{
    // flux's own output for these commands (flux2 cmd/flux/testdata/create_hr/basic.yaml, or_basic.yaml and the
    // create source/kustomization documentation), namespace flux-system.
    public static TheoryData<string[], string> Exports => new()
    {
        {
            ["create", "source", "git", "podinfo", "--url=https://github.com/stefanprodan/podinfo", "--branch=master"],
            "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  interval: 1m0s\n  ref:\n    branch: master\n  url: https://github.com/stefanprodan/podinfo\n"
        },
        {
            ["create", "source", "bucket", "podinfo", "--bucket-name=podinfo", "--endpoint=minio.minio.svc.cluster.local:9000", "--insecure=true", "--interval=10m"],
            "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  bucketName: podinfo\n  endpoint: minio.minio.svc.cluster.local:9000\n  insecure: true\n  interval: 10m0s\n  provider: generic\n"
        },
        {
            ["create", "source", "helm", "podinfo", "--url=https://stefanprodan.github.io/podinfo", "--interval=10m"],
            "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  interval: 10m0s\n  url: https://stefanprodan.github.io/podinfo\n"
        },
        {
            ["create", "source", "oci", "podinfo", "--url=oci://ghcr.io/stefanprodan/manifests/podinfo", "--tag=6.6.0", "--interval=10m"],
            "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  interval: 10m0s\n  provider: generic\n  ref:\n    tag: 6.6.0\n  url: oci://ghcr.io/stefanprodan/manifests/podinfo\n"
        },
        {
            ["create", "kustomization", "podinfo", "--source=podinfo", "--path=./kustomize", "--prune=true", "--target-namespace=default", "--interval=5m"],
            "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  interval: 5m0s\n  path: ./kustomize\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: podinfo\n  targetNamespace: default\n"
        },
        {
            ["create", "hr", "podinfo", "--source=HelmRepository/podinfo", "--chart=podinfo"],
            "---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  chart:\n    spec:\n      chart: podinfo\n      reconcileStrategy: ChartVersion\n      sourceRef:\n        kind: HelmRepository\n"
            + "        name: podinfo\n  interval: 1m0s\n"
        },
        {
            ["create", "helmrelease", "podinfo", "--chart-ref=OCIRepository/podinfo"],
            "---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\n"
            + "spec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n  interval: 1m0s\n"
        },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task ExportPrintsWhatFluxPrintsAndKubectlAppliesIt(string[] args, string expected)
    {
        var export = await WeirRun.RunAsync(stack.Kubeconfig, [.. args, "--export"]);
        Assert.True(export.Code == 0, export.ToString());
        Assert.Equal(expected, export.Out);

        var ns = "export-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Client.CreateAsync(KubeResource.Namespace, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        });
        var yaml = export.Out.Replace("namespace: flux-system", $"namespace: {ns}");
        var applied = await TestProcess.RunAsync(Kubectl.Path(), ["--kubeconfig", stack.Kubeconfig, "apply", "-f", "-"], input: yaml);
        Assert.True(applied.Code == 0, applied.ToString());
        var exported = (JsonObject)KubeYaml.Parse(yaml)!;
        var resource = KindRegistry.Get(exported["kind"]!.GetValue<string>()).Resource;
        var stored = await stack.Client.GetAsync(resource, new ObjectKey(ns, "podinfo"));
        // The API server adds its defaults (e.g. chart version '*'); everything exported is stored as exported.
        Assert.True(Within(exported["spec"], stored!["spec"]), $"exported {exported["spec"]!.ToJsonString()}, stored {stored["spec"]!.ToJsonString()}");
    }

    private static bool Within(JsonNode? part, JsonNode? whole) => part is JsonObject map
        ? whole is JsonObject other && map.All(p => Within(p.Value, other[p.Key]))
        : JsonNode.DeepEquals(part, whole);

    [Fact]
    public async Task ValuesFilesAreMergedAndBadFlagsAreRefusedAsFluxRefusesThem()
    {
        var dir = TestEnv.TempDir("weir-create-");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.yaml"), "replicaCount: 1\nimage:\n  tag: v1\n  pullPolicy: Always\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "b.yaml"), "image:\n  tag: v2\n");
        var export = await WeirRun.ExecAsync(["create", "hr", "app", "--source=HelmRepository/charts.infra", "--chart=app", "--chart-version=>=1.0.0",
            "--values", Path.Combine(dir, "a.yaml"), "--values", Path.Combine(dir, "b.yaml"), "--values-from=configmap/extra", "--target-namespace=apps",
            "--depends-on=infra/db", "--export"]);
        Assert.True(export.Code == 0, export.ToString());
        var spec = KubeYaml.Parse(export.Out)!["spec"]!;
        Assert.Equal("""{"image":{"pullPolicy":"Always","tag":"v2"},"replicaCount":1}""", spec["values"]!.ToJsonString());
        Assert.Equal("""[{"kind":"ConfigMap","name":"extra"}]""", spec["valuesFrom"]!.ToJsonString());
        Assert.Equal("""{"kind":"HelmRepository","name":"charts","namespace":"infra"}""", spec["chart"]!["spec"]!["sourceRef"]!.ToJsonString());
        Assert.Equal("""[{"name":"db","namespace":"infra"}]""", spec["dependsOn"]!.ToJsonString());
        Directory.Delete(dir, recursive: true);

        var noRef = await WeirRun.ExecAsync(["create", "source", "git", "app", "--url=https://example.com/app.git", "--export"]);
        Assert.Equal(2, noRef.Code);
        Assert.Equal("✗ a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver\n", noRef.Err);
        var badPath = await WeirRun.ExecAsync(["create", "ks", "app", "--source=app", "--path=deploy", "--export"]);
        Assert.Equal("✗ path must begin with ./\n", badPath.Err);
        var badName = await WeirRun.ExecAsync(["create", "source", "bucket", "App_1", "--bucket-name=b", "--endpoint=e", "--export"]);
        Assert.Equal("✗ name 'App_1' is invalid, it should adhere to standard defined in RFC 1123, the name can only contain alphanumeric characters or '-'\n", badName.Err);
    }

    [Fact]
    public async Task CreateWaitsForReadyAndGetAndReconcileShowTheBucket()
    {
        await s3.CreateBucketAsync("cli-apps");
        await s3.PutAsync("cli-apps", "apps/kustomization.yaml", "resources:\n- settings.yaml\n");
        await s3.PutAsync("cli-apps", "apps/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-cli\n  namespace: flux-system\ndata:\n  v: \"1\"\n");

        var source = await WeirRun.RunAsync(stack.Kubeconfig, "create", "source", "bucket", "apps", "--bucket-name=cli-apps", $"--endpoint={s3.Endpoint}",
            "--insecure", $"--access-key={s3.AccessKey}", $"--secret-key={s3.SecretKey}", "--timeout=1m");
        Assert.True(source.Code == 0, source.ToString());
        var revision = (await stack.Client.GetAsync(KubeResource.Bucket, new ObjectKey("flux-system", "apps")))!["status"]!["artifact"]!["revision"]!.GetValue<string>();
        Assert.Equal(
            "✚ generating Bucket source\n► applying secret with the bucket credentials\n✔ authentication configured\n► applying Bucket source\n"
            + "✔ Bucket source created\n◎ waiting for Bucket source reconciliation\n✔ Bucket source reconciliation completed\n"
            + $"✔ fetched revision: {revision}\n", source.Err);
        Assert.DoesNotContain(s3.SecretKey, source.Output);
        var secret = await stack.Client.GetAsync(KubeResource.Secret, new ObjectKey("flux-system", "bucket-apps"));
        Assert.Equal(s3.AccessKey, SecretData.Decode(secret!)["accesskey"]);

        var ks = await WeirRun.RunAsync(stack.Kubeconfig, "create", "kustomization", "apps", "--source=Bucket/apps", "--path=./apps", "--prune", "--timeout=1m");
        Assert.True(ks.Code == 0, ks.ToString());
        Assert.EndsWith($"✔ Kustomization apps is ready\n✔ applied revision {revision}\n", ks.Err);
        Assert.NotNull(await stack.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("flux-system", "from-cli")));

        var get = await WeirRun.RunAsync(stack.Kubeconfig, "get", "sources", "bucket");
        var row = Assert.Single(FluxTableAssert.Parse(get.Out, ["NAME", "REVISION", "SUSPENDED", "READY", "MESSAGE", "LAST RECONCILED"]));
        Assert.Equal(["apps", Short(revision), "False", "True", $"stored artifact: revision '{Short(revision)}'"], row[..5]);
        var all = await WeirRun.RunAsync(stack.Kubeconfig, "get", "sources", "all");
        Assert.Contains("bucket/apps", all.Out);

        await s3.PutAsync("cli-apps", "apps/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-cli\n  namespace: flux-system\ndata:\n  v: \"2\"\n");
        var reconcile = await WeirRun.RunAsync(stack.Kubeconfig, "reconcile", "source", "bucket", "apps", "--timeout=1m");
        Assert.True(reconcile.Code == 0, reconcile.ToString());
        var next = (await stack.Client.GetAsync(KubeResource.Bucket, new ObjectKey("flux-system", "apps")))!["status"]!["artifact"]!["revision"]!.GetValue<string>();
        Assert.NotEqual(revision, next);
        Assert.EndsWith($"✔ fetched revision {next}\n", reconcile.Err);
    }

    // flux's display of a revision: hex runs of 40 or more characters cut to 8.
    private static string Short(string revision) => revision[..("sha256:".Length + 8)];
}
