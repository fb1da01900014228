using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Kustomize.Build;
using Xunit.Abstractions;

namespace Weir.Kustomize.Tests;

/// <summary>
/// Builds every case of the shared kustomize corpus and compares with kubectl kustomize's output: semantically
/// (same documents, same order, same content) and byte for byte.
/// </summary>
public sealed class KustomizeCorpusTests(ITestOutputHelper output)
{
    // The share of cases that must agree semantically; raise it as the engine improves (the goal is 100%).
    private const double Threshold = 1.0;

    [Fact]
    public void CorpusAgreesWithKubectlKustomize()
    {
        var cases = CorpusCase.All();
        Assert.NotEmpty(cases);
        var passed = 0;
        var identical = 0;
        var failures = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var c in cases)
        {
            var (ok, same, why) = Run(c);
            if (ok)
            {
                passed++;
            }
            else
            {
                failures.Add($"{c.Name}: {why}");
            }

            if (same)
            {
                identical++;
            }
        }

        var summary = $"kustomize corpus: {passed} passed, {cases.Count - passed} failed ({identical} byte-identical, {clock.ElapsedMilliseconds} ms)";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var f in failures)
        {
            output.WriteLine("  FAIL " + f);
        }

        if (Environment.GetEnvironmentVariable("WEIR_KUSTOMIZE_FAILURES") is { Length: > 0 } report)
        {
            File.WriteAllLines(report, failures.Prepend(summary));
        }

        Assert.True(passed >= Threshold * cases.Count, summary);
    }

    private static (bool Passed, bool Identical, string Why) Run(CorpusCase c)
    {
        string actualText;
        try
        {
            actualText = Kustomizer.BuildYaml(c.BuildDirectory, c.Options);
        }
        catch (KustomizeException e)
        {
            return c.ExpectError ? (true, false, "") : (false, false, "error: " + OneLine(e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return c.ExpectError ? (true, false, "") : (false, false, $"crash {e.GetType().Name}: {OneLine(e.Message)} {OneLine(e.StackTrace ?? "")}");
        }

        if (c.ExpectError)
        {
            return (false, false, "expected an error, built successfully");
        }

        var expectedText = c.ExpectedText;
        var identical = expectedText == actualText;
        var expected = KubeYaml.ParseAll(expectedText).Where(d => d is not null).ToList();
        var actual = KubeYaml.ParseAll(actualText).Where(d => d is not null).ToList();
        if (expected.Count != actual.Count)
        {
            return (false, identical, $"{actual.Count} documents, expected {expected.Count}; first difference: {FirstDifference(expected, actual)}");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (!JsonNode.DeepEquals(expected[i], actual[i]))
            {
                return (false, identical, $"document {i} differs: {FirstDifference(expected, actual)}");
            }
        }

        return (true, identical, "");
    }

    private static string FirstDifference(List<JsonNode?> expected, List<JsonNode?> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : null;
            var a = i < actual.Count ? actual[i] : null;
            if (!JsonNode.DeepEquals(e, a))
            {
                return $"#{i} expected {Short(e)} got {Short(a)}";
            }
        }

        return "none";
    }

    private static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 400 ? s[..400] + "..." : s;
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Length > 300 ? s.Replace('\n', ' ')[..300] : s.Replace('\n', ' ');
}
