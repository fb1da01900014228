using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Testing;

/// <summary>Real users' Flux objects from the shared corpus (read in place), for tests of Weir's API types and CRDs.</summary>
public static class FluxCorpus
{
    private static readonly HashSet<string> ApiVersions =
        ["source.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io/v1", "helm.toolkit.fluxcd.io/v2"];

    /// <summary>Every Flux object of a served version in the corpus's kustomize outputs, with its file (relative).</summary>
    public static List<(string File, JsonObject Object)> Manifests()
    {
        var dir = Path.Combine(TestPaths.Corpus, "kustomize");
        return
        [
            .. Directory.EnumerateFiles(dir, "expected.yaml", SearchOption.AllDirectories)
                .Where(f => File.ReadAllText(f).Contains("toolkit.fluxcd.io", StringComparison.Ordinal))
                .SelectMany(f => KubeYaml.ParseAll(File.ReadAllText(f)).OfType<JsonObject>()
                    .Where(o => ApiVersions.Contains(o["apiVersion"]?.GetValue<string>() ?? ""))
                    .Select(o => (Path.GetRelativePath(dir, f), o))),
        ];
    }
}
