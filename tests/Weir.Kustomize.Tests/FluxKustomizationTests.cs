using System.Text.Json.Nodes;
using Weir.Kustomize.Build;
using Weir.Kustomize.Flux;

namespace Weir.Kustomize.Tests;

public sealed class FluxKustomizationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weir-flux-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void PathWithoutKustomizationBuildsEveryManifestLikeKubectlWithAGeneratedOne()
    {
        Write("apps/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n");
        Write("svc.yml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n");
        Write("notes.txt", "not a manifest");
        var spec = new FluxBuildSpec(TargetNamespace: "team", NamePrefix: "p-");

        var ours = FluxKustomization.Build(_dir, spec);

        // The oracle: the same layer written as a kustomization.yaml, built by kubectl.
        Write("kustomization.yaml",
            "resources:\n- apps/deploy.yaml\n- svc.yml\nnamespace: team\nnamePrefix: p-\n");
        var (code, stdout, stderr) = KubectlOracle.Kustomize(_dir);
        Assert.True(code == 0, stderr);
        var expected = Weir.Core.Yaml.KubeYaml.ParseAll(stdout).Where(d => d is not null).ToList();
        Assert.Equal(expected.Count, ours.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], ours[i]), $"document {i}: {ours[i].ToJsonString()} vs {expected[i]!.ToJsonString()}");
        }
    }

    [Fact]
    public void MissingKustomizationIsAnErrorOutsideFlux()
    {
        Write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("kustomization", e.Message);
    }

    [Fact]
    public void SubdirectoryWithItsOwnKustomizationIsBuiltAsAWhole()
    {
        Write("app/kustomization.yaml", "resources:\n- cm.yaml\nnamePrefix: app-\n");
        Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        Write("top.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n");

        var built = FluxKustomization.Build(_dir, new FluxBuildSpec());

        Assert.Equal(["app-settings", "top"], built.Select(r => r["metadata"]!["name"]!.GetValue<string>()).Order());
    }
}
