using System.Globalization;
using System.Text;
using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests;

/// <summary>
/// Folded scalars (<c>&gt;</c>) as kustomize prints them: kyaml writes resources back with go-yaml v3, which adds a
/// blank line before more-indented lines. Random blocks in resources and in patches (from files, inline, and as
/// JSON 6902 values, which kustomize reads without kyaml) must print the bytes <c>kubectl kustomize</c> prints.
/// </summary>
public sealed class KyamlFoldedScalarDifferentialTests : IDisposable
{
    private static readonly string[] Lines =
        ["folded text", "more words here", "  more indented", "    deeper still", "", "", "\ttab first", "x\ty", "trailing space ", "last", "ümlaut ✓", "#not a comment"];

    private readonly string dir = Directory.CreateTempSubdirectory("weir-folded-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TheIssuesExamplePrintsAsKubectlPrintsIt() =>
        AssertSameAsKubectl(Resource("issue", "  a: >\n    folded line one\n    folded line two\n      more indented\n    back\n"), "", []);

    [Fact]
    public void AValueStartingWithATabFailsAsKubectlFails()
    {
        File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), "resources:\n- resources.yaml\n");
        File.WriteAllText(Path.Combine(dir, "resources.yaml"), Resource("tab", "  a: >2\n    \ttab first\n    last\n"));

        var (code, _, stderr) = KubectlOracle.Kustomize(dir);
        Assert.True(code != 0, "kubectl read it");
        Assert.Contains("found a tab character where an indentation space is expected", stderr);
        var e = Assert.Throws<KustomizeException>(() => Kustomizer.BuildYaml(dir));
        Assert.Contains("line 6: folded scalar as kyaml writes it: yaml: line 2: found a tab character where an indentation space is expected", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomFoldedBlocksPrintAsKubectlPrintsThem(int seed)
    {
        var rnd = new Random(seed);
        var resources = string.Join("---\n", Enumerable.Range(0, 4).Select(d => Resource($"r{d}", Blocks(rnd, "  ", 8))));
        var patchFile = Resource("r0", Blocks(rnd, "  ", 4, prefix: "p"));
        var inline = Resource("r1", Blocks(rnd, "  ", 4, prefix: "i"));
        var jsonOps = "- op: add\n  path: /data/j\n  value: " + Block(rnd, "    ").TrimStart();
        var kustomization = new StringBuilder("resources:\n- resources.yaml\npatches:\n- path: patch.yaml\n- patch: |\n");
        kustomization.Append(Indent(inline, "    "));
        kustomization.Append("- target:\n    kind: ConfigMap\n    name: r2\n  patch: |\n").Append(Indent(jsonOps, "    "));
        AssertSameAsKubectl(resources, kustomization.ToString(), [("patch.yaml", patchFile)]);
    }

    private static string Resource(string name, string data) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{data}";

    private static string Blocks(Random rnd, string indent, int count, string prefix = "k")
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{indent}{prefix}{i}: ").Append(Block(rnd, indent + "  "));
        }

        return text.ToString();
    }

    /// <summary>A folded block: chomping, an indentation indicator when needed (or at random), lines of all kinds.</summary>
    private static string Block(Random rnd, string indent)
    {
        var lines = Enumerable.Range(0, rnd.Next(1, 7)).Select(_ => Lines[rnd.Next(Lines.Length)]).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        // A value starting with a tab is one go-yaml v3 writes but cannot read back (see the test above).
        if (lines.Count == 0 || lines[0].StartsWith('\t'))
        {
            lines.Insert(0, "only");
        }

        var header = new StringBuilder(">");
        if (lines[0].StartsWith(' ') || lines[0].StartsWith('\t') || rnd.Next(4) == 0)
        {
            header.Append('2');
        }

        header.Append(new[] { "", "-", "+" }[rnd.Next(3)]);
        var body = string.Join("", lines.Select(l => l.Length == 0 ? "\n" : indent + l + "\n"));
        return header + "\n" + body + (rnd.Next(3) == 0 ? "\n" : "");
    }

    private static string Indent(string text, string indent) =>
        string.Join("", text.Split('\n').SkipLast(1).Select(l => l.Length == 0 ? "\n" : indent + l + "\n"));

    private void AssertSameAsKubectl(string resources, string kustomization, (string Name, string Text)[] files)
    {
        File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), kustomization.Length > 0 ? kustomization : "resources:\n- resources.yaml\n");
        File.WriteAllText(Path.Combine(dir, "resources.yaml"), resources);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }

        var (code, stdout, stderr) = KubectlOracle.Kustomize(dir);
        Assert.True(code == 0, $"kubectl failed: {stderr}\n{kustomization}");
        Assert.Equal(stdout, Kustomizer.BuildYaml(dir));
    }
}
