using System.Text;
using System.Text.RegularExpressions;
using Weir.Core.Yaml;

namespace Weir.Helm.Tests;

/// <summary>
/// Every case of the Helm corpus (goldens produced by real Helm) rendered by Weir.Helm and compared as the case's
/// <c>compare</c> says. Goldens from Helm before 4.2 lack the trailing newline Helm 4.2 keeps after each template;
/// that one difference is normalised here and nowhere else.
/// </summary>
public sealed partial class HelmCorpusTests
{
    private const string YamlError = "error converting YAML to JSON: ";

    public static TheoryData<string> Cases() => new(HelmCorpusCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_renders_as_helm_template(string name)
    {
        var c = HelmCorpusCase.Load(name);
        if (c.ExpectError)
        {
            var error = Record.Exception(() => c.Run());
            Assert.NotNull(error);
            var expected = File.ReadAllText(Path.Combine(c.Directory, "expected-error.txt"));
            // The YAML parser's own words (YamlDotNet's, not go-yaml's) follow Helm's prefix; everything before them must match.
            var message = error.Message;
            var yaml = message.IndexOf(YamlError, StringComparison.Ordinal);
            Assert.StartsWith("Error: " + (yaml < 0 ? message : message[..(yaml + YamlError.Length)]), expected, StringComparison.Ordinal);
            return;
        }

        var result = c.Run();
        if (c.ToFiles)
        {
            CompareFiles(c, result.Files);
        }
        else
        {
            CompareStdout(c, result.Output);
        }
    }

    private static void CompareStdout(HelmCorpusCase c, string actual)
    {
        var expected = File.ReadAllText(Path.Combine(c.Directory, "expected.txt"));
        if (c.OlderHelm)
        {
            actual = TrimDocuments(actual);
        }

        if (c.EarlyHelm42)
        {
            expected = WhitespaceBeforeSeparator().Replace(expected, "");
            actual = WhitespaceBeforeSeparator().Replace(actual, "");
        }

        if (Environment.GetEnvironmentVariable("WEIR_HELM_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(Path.Combine(dump, c.Name));
            File.WriteAllText(Path.Combine(dump, c.Name, "actual.txt"), actual);
        }

        switch (c.Compare.Split(' ', ':')[0])
        {
            case "rstrip-lines":
                actual = string.Join('\n', actual.Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n') + "\n";
                Assert.Equal(expected, actual);
                break;
            case "exact-except-final-newline":
                if (expected + "\n" != actual)
                {
                    Assert.Equal(Documents(expected), Documents(actual));
                }

                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    private static void CompareFiles(HelmCorpusCase c, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        var expectedRoot = Path.Combine(c.Directory, "expected");
        var expected = Directory.EnumerateFiles(expectedRoot, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(expectedRoot, f).Replace('\\', '/'), File.ReadAllText);
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var otel = c.Compare == "otel";
        foreach (var (path, content) in files)
        {
            var text = c.OlderHelm && !otel ? TrimDocuments(content) : content;
            actual[otel ? Flatten(path) : path] = otel ? IgnoredLines(OtelNormalise(text)) : text;
        }

        foreach (var key in expected.Keys.ToList())
        {
            var text = c.OlderHelm ? SeparatorOnlyDocument().Replace(expected[key], "") : expected[key];
            if (text.Length == 0)
            {
                expected.Remove(key);
                continue;
            }

            expected[key] = otel ? IgnoredLines(text) : text;
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys);
        foreach (var (path, content) in actual)
        {
            Assert.True(expected[path] == content, $"{path} differs:\n--- expected\n{expected[path]}\n--- actual\n{content}");
        }
    }

    // OUT/<chart>/templates/<file> -> <file>; OUT/<chart>/charts/<sub>/templates/<file> -> <sub>/<file>.
    private static string Flatten(string path)
    {
        var parts = path.Split('/');
        return parts.Length > 3 && parts[1] == "charts" ? string.Join('/', [parts[2], .. parts[4..]]) : string.Join('/', parts[2..]);
    }

    private static string OtelNormalise(string text) => FinalWhitespace().Replace(WhitespaceBeforeSeparator().Replace(text, ""), "\n");

    private static string IgnoredLines(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.Contains("checksum/config", StringComparison.Ordinal) && !l.Contains("helm.sh/chart", StringComparison.Ordinal)));

    // Helm before 4.2 trimmed each rendered document's trailing whitespace; CRD files were always copied as they are.
    private static string TrimDocuments(string text)
    {
        var parts = SourceHeader().Split(text);
        var sb = new StringBuilder(parts[0]);
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            var source = parts[i];
            var body = parts[i + 1];
            sb.Append("---\n# Source: ").Append(source).Append('\n');
            sb.Append(source.Contains("/crds/", StringComparison.Ordinal) || source.StartsWith("crds/", StringComparison.Ordinal)
                ? body
                : body.TrimEnd() + "\n");
        }

        return sb.ToString();
    }

    private static List<string> Documents(string text) =>
        KubeYaml.ParseAll(text).Where(d => d is not null).Select(d => d!.ToJsonString()).ToList();

    // Helm before 4.2.4 split on "---" plus any whitespace, so "---\n---" in a template left a document reading "---";
    // Helm 4.2.4 splits on "---" lines only and such a template renders nothing.
    [GeneratedRegex(@"---\n# Source: [^\n]+\n---\n")]
    private static partial Regex SeparatorOnlyDocument();

    [GeneratedRegex(@"(?m)^---\n# Source: (.+)\n")]
    private static partial Regex SourceHeader();

    [GeneratedRegex(@"[ \t\n]+(?=\n---\n)")]
    private static partial Regex WhitespaceBeforeSeparator();

    [GeneratedRegex(@"[ \t\n]+\z")]
    private static partial Regex FinalWhitespace();
}
