using System.Globalization;
using System.Text;
using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests;

/// <summary>
/// kustomize reads resources with kyaml (go-yaml v3) and prints them through JSON: Weir's build must print the same
/// bytes as <c>kubectl kustomize</c> for every YAML 1.1 boolean, null, number and timestamp spelling, as values and as
/// mapping keys, and fail where kubectl fails (a key that is not a string, a time JSON cannot hold, infinities).
/// </summary>
public sealed class KyamlScalarDifferentialTests : IDisposable
{
    private static readonly string[] Words = ["y", "yes", "n", "no", "on", "off", "true", "false", "null", "nil", "none", "t", "f"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "+12", "017", "08", "0o17", "-0o17", "0x1F", "-0x1f", "0b101", "-0b101", "1_000", "1__0", "_1", "1_", ".5", "-.5", "+.5",
        "1.", "1.0", "1e3", "1E+3", "1.5e-2", "0.1e-2", "6.02e23", "1e400", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "-9223372036854775809", "12:30:00", "1:20", "190:20:30.15", "0.", "00", "0o8", "0x", "1e", "e3", "~", ".",
    ];

    private static readonly string[] Times =
    [
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10 -5",
        "2001-12-14T21:59:43Z", "2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43-00:00", "2001-12-14T21:59:43.1234567891Z",
        "2001-12-14T21:59:43,5Z", "2001-12-14T21:59:43.000Z", "2001-1-2", "2001-1-2T3:4:5Z", "0000-02-29", "2000-02-29", "2001-02-29",
        "2001-12-14T25:00:00Z", "2001-12-14T21:59:60Z", "2001-13-01", "2001-12-14T21:59:43+05:60", "2001-12-14T21:59:43+23:59",
        "20011-12-14", "2001-12-14T21:59", "2001-12-14 21:59:43", "2001-12-14T21:59:43.10-0500",
    ];

    private readonly string dir = Directory.CreateTempSubdirectory("weir-kyaml-").FullName;
    private int cases;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Every word in lower, capitalised and upper case and two mixed cases; numbers and timestamps as they are.</summary>
    private static List<string> Spellings()
    {
        var rnd = new Random(3);
        var result = new List<string>();
        foreach (var w in Words)
        {
            result.Add(w);
            result.Add(char.ToUpperInvariant(w[0]) + w[1..]);
            result.Add(w.ToUpperInvariant());
            for (var i = 0; i < 2; i++)
            {
                result.Add(new string([.. w.Select(c => rnd.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]));
            }
        }

        result.AddRange(Numbers);
        result.AddRange(Times);
        return [.. result.Distinct(StringComparer.Ordinal)];
    }

    [Fact]
    public void EverySpellingAsAValuePrintsAsKubectlPrintsIt()
    {
        var spellings = Spellings();
        var text = new StringBuilder(Header("values"));
        text.Append("data:\n");
        for (var i = 0; i < spellings.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  k{i:D3}: {spellings[i]}\n");
        }

        text.Append("list:\n").AppendJoin("", spellings.Select(s => $"- {s}\n"));
        text.Append("flow: [").AppendJoin(", ", spellings.Where(s => !s.Contains(':', StringComparison.Ordinal))).Append("]\n");
        AssertSameAsKubectl(text.ToString());
    }

    [Fact]
    public void EverySpellingAsAKeyPrintsAsKubectlPrintsItOrFailsAsKubectlFails()
    {
        var (strings, others) = KeysAsKubectlReadsThem();
        Assert.Contains("yes", strings);
        Assert.Contains("Off", strings);
        Assert.Contains("0x1F", others);
        Assert.Contains("2001-12-14", others);

        var text = new StringBuilder(Header("keys"));
        text.Append("data:\n").AppendJoin("", strings.Select((k, i) => $"  {k}: v{i}\n"));
        text.Append("nested:\n- ").AppendJoin("  ", strings.Select((k, i) => $"{k}: {strings[(i + 1) % strings.Count]}\n"));
        AssertSameAsKubectl(text.ToString());

        foreach (var key in others)
        {
            var root = Write(Header("key") + $"data:\n  {key}: v\n");
            Assert.Throws<KustomizeException>(() => Kustomizer.BuildYaml(root));
        }
    }

    /// <summary>
    /// Which spellings kubectl keeps as string keys: a map with one key of another type cannot become JSON, and kubectl's
    /// error prints the map in Go syntax, where only string keys are quoted. (Null keys fail differently; see below.)
    /// String keys are never lost from the dump: two different texts cannot be the same string.
    /// </summary>
    private (List<string> Strings, List<string> Others) KeysAsKubectlReadsThem()
    {
        var keys = Spellings().Where(s => s is not ("null" or "Null" or "NULL" or "~")).ToList();
        var text = new StringBuilder(Header("keys")).Append("data:\n");
        for (var i = 0; i < keys.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {keys[i]}: v{i:D3}\n");
        }

        var root = Write(text.ToString());
        var (code, _, stderr) = KubectlOracle.Kustomize(root);
        Assert.True(code != 0, "kubectl turned keys of every type into JSON");
        Assert.Throws<KustomizeException>(() => Kustomizer.BuildYaml(root));
        var strings = new List<string>();
        var others = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            // A key missing from the dump collided with another of the same value (true/True): not a string either.
            var at = stderr.IndexOf($":\\\"v{i:D3}\\\"", StringComparison.Ordinal);
            (at > 0 && stderr[at - 1] == '"' ? strings : others).Add(keys[i]);
        }

        return (strings, others);
    }

    [Theory]
    [InlineData("key: true")]
    [InlineData("key: 1")]
    [InlineData("key: 1.5")]
    [InlineData("key: 0x10")]
    [InlineData("key: 2001-12-14")]
    [InlineData("key: ~")]
    [InlineData("key: null")]
    [InlineData("value: .inf")]
    [InlineData("value: -.Inf")]
    [InlineData("value: .NaN")]
    [InlineData("value: 2001-12-14T21:59:43+24:00")]
    [InlineData("value: 2001-12-14T21:59:43+23:60")]
    public void WhereKubectlFailsTheBuildFails(string form)
    {
        var line = form.StartsWith("key: ", StringComparison.Ordinal) ? $"  {form[5..]}: v\n" : $"  v: {form[7..]}\n";
        var root = Write(Header("fails") + "data:\n" + line);
        var (code, _, stderr) = KubectlOracle.Kustomize(root);
        Assert.True(code != 0, $"kubectl accepted {form}");
        Assert.Throws<KustomizeException>(() => Kustomizer.BuildYaml(root));
        Assert.NotEqual("", stderr);
    }

    [Fact]
    public void RandomDocumentsPrintAsKubectlPrintsThem()
    {
        var spellings = Spellings();
        var keys = KeysAsKubectlReadsThem().Strings;
        var rnd = new Random(21);
        var docs = new StringBuilder();
        for (var d = 0; d < 12; d++)
        {
            docs.Append(d == 0 ? "" : "---\n").Append(Header($"random{d}")).Append("spec:\n");
            WriteMap(docs, rnd, keys, spellings, "  ", depth: 0);
        }

        AssertSameAsKubectl(docs.ToString());
    }

    private static void WriteMap(StringBuilder text, Random rnd, List<string> keys, List<string> values, string indent, int depth)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = rnd.Next(1, 6); i > 0; i--)
        {
            var key = keys[rnd.Next(keys.Count)];
            if (!used.Add(key))
            {
                continue;
            }

            switch (depth < 3 ? rnd.Next(4) : 0)
            {
                case 0:
                case 1:
                    text.Append(CultureInfo.InvariantCulture, $"{indent}{key}: {values[rnd.Next(values.Count)]}\n");
                    break;
                case 2:
                    text.Append(CultureInfo.InvariantCulture, $"{indent}{key}:\n");
                    WriteMap(text, rnd, keys, values, indent + "  ", depth + 1);
                    break;
                default:
                    text.Append(CultureInfo.InvariantCulture, $"{indent}{key}:\n");
                    for (var j = rnd.Next(1, 4); j > 0; j--)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{indent}- {values[rnd.Next(values.Count)]}\n");
                    }

                    break;
            }
        }
    }

    private static string Header(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n";

    private string Write(string resources)
    {
        var root = Directory.CreateDirectory(Path.Combine(dir, $"case{++cases}")).FullName;
        File.WriteAllText(Path.Combine(root, "kustomization.yaml"), "resources:\n- resources.yaml\n");
        File.WriteAllText(Path.Combine(root, "resources.yaml"), resources);
        return root;
    }

    private void AssertSameAsKubectl(string resources)
    {
        var root = Write(resources);
        var (code, stdout, stderr) = KubectlOracle.Kustomize(root);
        Assert.True(code == 0, $"kubectl failed: {stderr}");
        Assert.Equal(stdout, Kustomizer.BuildYaml(root));
    }
}
