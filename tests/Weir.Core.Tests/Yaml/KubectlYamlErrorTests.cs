using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// Malformed manifests are refused with the words and the line kubectl kustomize (go-yaml v3, as kustomize and
/// Flux read files) reports, asked live for each case. Several of these made YamlDotNet throw exceptions of other
/// types (an unclosed flow sequence followed by a less indented line, a key-less block mapping entry).
/// </summary>
public sealed class KubectlYamlErrorTests : IDisposable
{
    /// <summary>How kustomize reads resources.</summary>
    private static readonly YamlOptions Kyaml = new() { RejectDuplicateKeys = true, Dialect = YamlDialect.Kyaml };

    private readonly string _dir = Directory.CreateTempSubdirectory("weir-yaml-errors-").FullName;

    public static TheoryData<string> Cases() =>
    [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  items: [a, b\n",
        "apiVersion: v1\nkind: ConfigMap\nitems: [a, b\nmetadata:\n  name: x\n",
        "x:\n  items: [a, b\n  y: 1\n",
        "items: [a, b",
        "a:\n  b:\n    c: [1, [2, 3]\n",
        "metadata:\n  labels: {app: web\nspec: {}\n",
        "{a: 1\n",
        "a:\n  b: 1\n c: 2\n",
        "- a\nb: c\n",
        "a: 1\n- b\n",
        "a: 1\nb: \"abc\n",
        "a: 1\nb: 'abc\n",
        "metadata:\n  : nameless\nspec: 1\n",
        "a: b: c\n",
        "list:\n- a\n- b\n c: d\n",
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsWhatKubectlKustomizeReports(string manifest)
    {
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources:\n- manifest.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "manifest.yaml"), manifest);
        var expected = KubectlOracle.MalformedYamlError(_dir, "manifest.yaml");

        var error = Assert.Throws<YamlException>(() => KubeYaml.ParseAll(manifest, Kyaml));
        Assert.Equal(expected, error.Message);
    }
}
