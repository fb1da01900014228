using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// Bad input in an artifact ends in <c>Ready=False</c> with a message naming the cause, as Flux reports it, nothing
/// of the revision applied; a fixed revision recovers.
/// </summary>
public sealed class MalformedArtifactTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weir-malformed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ConfigMap(string ns, string name, string data) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n{data}";

    [Fact]
    public async Task MalformedYamlFailsTheBuildNamingFileAndLineAndAFixedRevisionRecovers()
    {
        // An unclosed flow sequence followed by a less indented line: YamlDotNet threw InvalidOperationException here.
        var broken = ConfigMap("malformed", "settings", "  items: [a, b\n  mode: fast\n");
        var failed = await FailedBuildAsync("malformed", "app.yaml", broken);
        Assert.Equal($"kustomize build failed: MalformedYAMLError: {KubectlError("app.yaml", broken)} in File: app.yaml", Message(failed));

        var fixedDigest = await harness.PushAsync("malformed", "v1.0.1", new Dictionary<string, string>
        {
            ["app.yaml"] = ConfigMap("malformed", "settings", "  items: '[a, b]'\n  mode: fast\n"),
        });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "malformed");
        var ready = await harness.WaitForReadyAsync("malformed", IsTrue);
        Assert.Equal($"Applied revision: v1.0.1@{fixedDigest}", Message(ready));
        var settings = await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("malformed", "settings"));
        Assert.Equal("fast", settings!["data"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task AHugeYamlFileFailsTheBuildNamingTheSizeLimit()
    {
        var huge = ConfigMap("huge", "huge", $"  blob: {new string('x', (int)YamlOptions.DefaultMaxDocumentBytes)}\n");
        var failed = await FailedBuildAsync("huge", "big.yaml", huge);
        Assert.Equal(
            $"kustomize build failed: MalformedYAMLError: yaml: line 1: document of {Encoding.UTF8.GetByteCount(huge)} bytes exceeds the limit of " +
            $"{YamlOptions.DefaultMaxDocumentBytes} bytes in File: big.yaml",
            Message(failed));
    }

    /// <summary>
    /// Pushes <paramref name="file"/> beside a valid ConfigMap as v1.0.0 of a new source and Kustomization named
    /// <paramref name="name"/>; returns the Ready condition once the build failed, after checking nothing was applied.
    /// </summary>
    private async Task<JsonObject> FailedBuildAsync(string name, string file, string content)
    {
        await harness.CreateNamespaceAsync(name);
        await harness.PushAsync(name, "v1.0.0", new Dictionary<string, string>
        {
            [file] = content,
            ["valid.yaml"] = ConfigMap(name, "valid", "  a: b\n"),
        });
        await harness.CreateSourceAsync(name, name);
        await harness.CreateKustomizationAsync(name, name);

        var failed = await harness.WaitForReadyAsync(name, c => IsFalse(c) && c["reason"]!.GetValue<string>() != "ArtifactFailed");
        Assert.Equal("BuildFailed", failed["reason"]!.GetValue<string>());
        Assert.Null(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(name, "valid")));
        return failed;
    }

    /// <summary>What kubectl kustomize says about <paramref name="file"/> holding <paramref name="content"/>.</summary>
    private string KubectlError(string file, string content)
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), $"resources:\n- {file}\n");
        File.WriteAllText(Path.Combine(_dir, file), content);
        return KubectlOracle.MalformedYamlError(_dir, file);
    }
}
