using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests;

/// <summary>
/// Flux's CRDs (read in place from the shared reference) served with their printer columns, and the seeds' layout
/// <c>NAME READY STATUS AGE</c> for a kind declaring Ready/Status/Age columns.
/// </summary>
public sealed class FluxPrinterColumnTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static string FluxCrds => TestPaths.SharedReference("flux-crds");

    private Kubectl Kubectl()
    {
        var work = TestEnv.TempDir("weir-flux-");
        return new Kubectl(Weir.Testing.Kubectl.Path(31), cluster.Kubeconfig, work);
    }

    private static string ReadyStatus(string message) =>
        $"{{\"status\":{{\"conditions\":[{{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"ReconciliationSucceeded\",\"message\":\"{message}\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}}]}}}}";

    [Fact]
    public async Task FluxCrdsPrintTheirColumns()
    {
        var k = Kubectl();
        foreach (var file in Directory.GetFiles(FluxCrds, "*.yaml").Order())
        {
            Assert.Contains("created", await k.OkAsync("apply", "--server-side=false", "-f", file));
        }
        await k.OkAsync("wait", "--for", "condition=established", "crd/kustomizations.kustomize.toolkit.fluxcd.io", "--timeout=10s");
        File.WriteAllText(Path.Combine(k.WorkDir, "flux.yaml"), """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: flux-system
            ---
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: OCIRepository
            metadata:
              name: my-app
              namespace: flux-system
            spec:
              interval: 5m
              url: oci://registry.example.com/my-app
              ref:
                semver: ">=2.0.0"
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: apps
              namespace: flux-system
            spec:
              interval: 10m
              path: ./apps
              prune: true
              sourceRef:
                kind: OCIRepository
                name: my-app
            """);
        await k.OkAsync("create", "-f", "flux.yaml");
        await k.OkAsync("patch", "kustomization", "apps", "-n", "flux-system", "--subresource=status", "--type=merge", "-p", ReadyStatus("Applied revision: v2.1.0@sha256:abc123"));
        await k.OkAsync("patch", "ocirepository", "my-app", "-n", "flux-system", "--subresource=status", "--type=merge", "-p", ReadyStatus("stored artifact for digest: sha256:abc123"));

        var ks = await k.OkAsync("get", "kustomization", "-n", "flux-system");
        Assert.Matches(new Regex(@"^NAME\s+AGE\s+READY\s+STATUS\s*$", RegexOptions.Multiline), ks);
        Assert.Matches(new Regex(@"^apps\s+\S+\s+True\s+Applied revision: v2\.1\.0@sha256:abc123\s*$", RegexOptions.Multiline), ks);
        var oci = await k.OkAsync("get", "ocirepository", "-n", "flux-system");
        Assert.Matches(new Regex(@"^NAME\s+URL\s+READY\s+STATUS\s+AGE\s*$", RegexOptions.Multiline), oci);
        Assert.Matches(new Regex(@"^my-app\s+oci://registry\.example\.com/my-app\s+True\s+stored artifact for digest: sha256:abc123\s+\S+\s*$", RegexOptions.Multiline), oci);

        var invalid = await k.RunAsync("patch", "kustomization", "apps", "-n", "flux-system", "--type=merge", "-p", "{\"spec\":{\"interval\":\"soon\"}}");
        Assert.Equal(1, invalid.Code);
        Assert.Contains("spec.interval", invalid.Err);
    }

    [Fact]
    public async Task SeedLayoutReadyStatusAge()
    {
        var k = Kubectl();
        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: pipelines.seed.example.com
            spec:
              group: seed.example.com
              scope: Namespaced
              names: {plural: pipelines, singular: pipeline, kind: Pipeline}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                additionalPrinterColumns:
                - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
                - {name: Status, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].message'}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            """);
        await k.OkAsync("apply", "-f", "crd.yaml");
        File.WriteAllText(Path.Combine(k.WorkDir, "p.yaml"), "apiVersion: seed.example.com/v1\nkind: Pipeline\nmetadata:\n  name: apps\n  namespace: default\n");
        await k.OkAsync("create", "-f", "p.yaml");
        await k.OkAsync("patch", "pipeline", "apps", "--subresource=status", "--type=merge", "-p", ReadyStatus("Applied revision: v2.1.0@sha256:abc123"));
        var output = await k.OkAsync("get", "pipeline");
        Assert.Matches(new Regex(@"^NAME\s+READY\s+STATUS\s+AGE\s*\napps\s+True\s+Applied revision: v2\.1\.0@sha256:abc123\s+\d+s\s*$", RegexOptions.Multiline), output);
    }
}
