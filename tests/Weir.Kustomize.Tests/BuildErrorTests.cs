using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests;

/// <summary>Errors name the file or entry and the cause.</summary>
public sealed class BuildErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weir-kerr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MissingResourceNamesTheEntry()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- nothere.yaml\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("nothere.yaml", e.Message);
    }

    [Fact]
    public void BadYamlNamesTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- bad.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "apiVersion: v1\nkind: [unclosed\nmetadata:\n  name: x\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Equal($"MalformedYAMLError: {KubectlOracle.MalformedYamlError(_dir, "bad.yaml")} in File: bad.yaml", e.Message);
    }

    [Fact]
    public void AFileOverTheSizeLimitIsRefusedByItsSizeBeforeItIsRead()
    {
        // Sparse: the file claims its size without its bytes being written (or read, were it read).
        using (var big = File.Create(Path.Combine(_dir, "big.yaml")))
        {
            big.SetLength(Loading.FileLoader.MaxFileBytes + 1);
        }

        var message = $"file 'big.yaml' is {Loading.FileLoader.MaxFileBytes + 1} bytes, more than the limit of {Loading.FileLoader.MaxFileBytes} bytes for one file";
        var flux = Assert.Throws<KustomizeException>(() => Flux.FluxKustomization.Build(_dir, new Flux.FluxBuildSpec()));
        Assert.StartsWith(message, flux.Message);

        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- big.yaml\n");
        var listed = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.StartsWith(message, listed.Message);
    }

    [Fact]
    public void ConflictingIdsNameBothSources()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- a.yaml\n- b.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("a.yaml", e.Message);
        Assert.Contains("b.yaml", e.Message);
    }

    [Fact]
    public void RemoteResourceIsRefusedByName()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- https://github.com/x/y//base\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("https://github.com/x/y//base", e.Message);
    }

    [Fact]
    public void HelmChartsAreRefusedClearly()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "helmCharts:\n- name: podinfo\n  repo: https://example.invalid\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("helmCharts", e.Message);
    }

    [Fact]
    public void ExecPluginsAreRefusedByName()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "transformers:\n- plugin.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "plugin.yaml"), "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: my-inflator\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("ChartInflator", e.Message);
        Assert.Contains("my-inflator", e.Message);
    }

    [Fact]
    public void StrategicMergePatchWithoutTargetNamesTheMissingResource()
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- a.yaml\npatches:\n- path: p.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        File.WriteAllText(Path.Combine(_dir, "p.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothere\ndata:\n  a: b\n");
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.Build(_dir));
        Assert.Contains("p.yaml", e.Message);
        Assert.Contains("nothere", e.Message);
    }
}
