using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Xunit.Abstractions;

namespace Weir.Core.Tests.Yaml;

/// <summary>Hostile input ends in a clear error, quickly, without crashing the process; big input stays linear.</summary>
public class LimitTests(ITestOutputHelper output)
{
    [Fact]
    public void BillionLaughsIsRefusedQuickly()
    {
        var yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append($"{level}: &{level} [").Append(string.Join(", ", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        var error = Timed(() => KubeYaml.Parse(yaml.ToString()));
        Assert.Contains("excessive aliasing", error.Message);
    }

    [Theory]
    [InlineData(10_001)]
    [InlineData(1_000_000)]
    public void DeepFlowNestingIsRefusedQuickly(int depth)
    {
        var error = Timed(() => KubeYaml.Parse(new string('[', depth) + new string(']', depth)));
        Assert.Contains("exceeded max depth of 10000", error.Message);
    }

    [Theory]
    [InlineData(10_001)]
    [InlineData(200_000)]
    public void DeepBlockNestingIsRefusedQuickly(int depth)
    {
        var error = Timed(() => KubeYaml.Parse(string.Concat(Enumerable.Repeat("- ", depth)) + "x\n"));
        Assert.Contains("exceeded max depth of 10000", error.Message);
    }

    [Fact]
    public void DeepFlowMapNestingIsRefusedQuickly()
    {
        var error = Timed(() => KubeYaml.Parse("x: " + new string('{', 100_000)));
        Assert.Contains("exceeded max depth of 10000", error.Message);
    }

    [Fact]
    public void NestingUpToTheLimitStillReadsAndPrints()
    {
        // 9,000 block levels holding 10,000 flow levels: allowed by go-yaml, far deeper than a default stack.
        var yaml = string.Concat(Enumerable.Repeat("- ", 9000)) + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var node = KubeYaml.Parse(yaml);
        var depth = 0;
        for (var n = node; n is JsonArray a; n = a.Count > 0 ? a[0] : null)
        {
            depth++;
        }

        Assert.Equal(19_000, depth);
        // Printed in block style it is 19,000 indentation levels deep, which go-yaml (and we) refuse to read back.
        var printed = KubeYaml.Serialize(node);
        Assert.Equal(string.Concat(Enumerable.Repeat("- ", 18_999)) + "[]\n", printed);
    }

    [Fact]
    public void TenMegabytesOfManifestsParseInWellUnderAFewSeconds()
    {
        var doc = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, tier: frontend}
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    args: ["--port", "8080"]
                    env:
                    - name: A
                      value: "yes"
                    command:
                    - /bin/sh
                    - -c
                    - |
                      echo start
                      exec nginx
            """;
        var yaml = new StringBuilder();
        while (yaml.Length < 10_000_000)
        {
            yaml.Append(doc).Append("\n---\n");
        }

        var small = yaml.ToString(0, 1_000_000);
        KubeYaml.ParseAll(small); // warm up
        var watch = Stopwatch.StartNew();
        KubeYaml.ParseAll(small);
        var oneMegabyte = watch.Elapsed;
        watch.Restart();
        var docs = KubeYaml.ParseAll(yaml.ToString());
        var tenMegabytes = watch.Elapsed;
        output.WriteLine($"1 MB: {oneMegabyte.TotalMilliseconds:F0} ms, 10 MB: {tenMegabytes.TotalMilliseconds:F0} ms");
        Assert.True(docs.Count > 10_000);

        // The machine is shared with parallel builds, so wall-clock bounds are loose: linear growth
        // (10x the input may not cost 30x the time) and no run-away.
        Assert.True(tenMegabytes < (oneMegabyte * 30) + TimeSpan.FromSeconds(1), $"1 MB took {oneMegabyte}, 10 MB took {tenMegabytes}");
        Assert.True(tenMegabytes < TimeSpan.FromSeconds(30), $"10 MB took {tenMegabytes}");
    }

    private static YamlException Timed(Func<object?> work)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<YamlException>(() => work());
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}: {error.Message}");
        return error;
    }
}
