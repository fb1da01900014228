using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests.Differential;

/// <summary>Each kustomize difference the public fleet replay (bench/Weir.Bench.Fleets) found, kept as a named case checked against kubectl.</summary>
public sealed class FleetReplayRegressionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("weir-fleet-case-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>szinn/k8s-homelab's dashy icons: binaryData is base64 in lines of 70, as for Secrets.</summary>
    [Fact]
    public void ConfigMapBinaryDataIsWrappedAtSeventyColumns()
    {
        var png = new byte[300];
        new Random(7).NextBytes(png);
        png[0] = 0x89;
        File.WriteAllBytes(Path.Combine(_dir.FullName, "icon.png"), png);
        File.WriteAllBytes(Path.Combine(_dir.FullName, "tiny.bin"), [0xff, 0xfe, 0x00]);
        File.WriteAllText(Path.Combine(_dir.FullName, "kustomization.yaml"),
            "configMapGenerator:\n- name: icons\n  files:\n  - icon.png\n  - tiny.bin\n");

        var expected = KubectlOracle.Kustomize(_dir.FullName);

        Assert.Equal(0, expected.Code);
        Assert.Contains("icon.png: |", expected.Out);
        Assert.Equal(expected.Out, Kustomizer.BuildYaml(_dir.FullName));
    }
}
