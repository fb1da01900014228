using Weir.Core.Yaml;
using Xunit.Abstractions;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// Every expected.yaml in the kustomize corpus was printed by kubectl kustomize; reading it and printing it
/// again must give back the same bytes.
/// </summary>
public class CorpusRoundTripTests(ITestOutputHelper output)
{
    // Measured 320 of 320; any regression fails.
    private const double RequiredAgreement = 1.0;

    [Fact]
    public void KubectlKustomizeOutputRoundTripsByteForByte()
    {
        var root = Path.Combine(TestPaths.Corpus, "kustomize");
        Assert.True(Directory.Exists(root), $"corpus not found at {root} (set WEIR_CORPUS)");
        var files = Directory.EnumerateFiles(root, "expected.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 100, $"only {files.Count} expected.yaml files under {root}");

        var failures = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            try
            {
                var printed = KubeYaml.SerializeAll(KubeYaml.ParseAll(text));
                if (printed != text)
                {
                    failures.Add($"{Path.GetRelativePath(root, file)}: {FirstDifference(text, printed)}");
                }
            }
            catch (YamlException e)
            {
                failures.Add($"{Path.GetRelativePath(root, file)}: {e.Message}");
            }
        }

        var agreement = (double)(files.Count - failures.Count) / files.Count;
        output.WriteLine($"{files.Count - failures.Count}/{files.Count} expected.yaml files round-trip ({agreement:P2})");
        Assert.True(agreement >= RequiredAgreement, $"{failures.Count} of {files.Count} differ:\n" + string.Join('\n', failures));
    }

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return $"line {i + 1}: expected `{(i < a.Length ? a[i] : "<end>")}` got `{(i < b.Length ? b[i] : "<end>")}`";
    }
}
