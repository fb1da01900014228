using System.Text;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// A document larger than the limit is refused by its size before anything is parsed, so the limit, not the input,
/// bounds what a read costs; below the limit the parser's memory grows in proportion to the input.
/// </summary>
[Collection(nameof(DocumentSizeCollection))]
public class DocumentSizeTests
{
    [Fact]
    public void ADocumentOverTheDefaultLimitIsRefusedBeforeItIsParsed()
    {
        var yaml = ManyKeys(YamlOptions.DefaultMaxDocumentBytes + 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<YamlException>(() => KubeYaml.ParseAll(yaml));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"yaml: line 1: document of {Encoding.UTF8.GetByteCount(yaml)} bytes exceeds the limit of {YamlOptions.DefaultMaxDocumentBytes} bytes", error.Message);
        // Parsing costs many times the input; refusing it costs next to nothing.
        Assert.True(allocated < yaml.Length / 10, $"refusing a {yaml.Length}-character document allocated {allocated} bytes");
    }

    [Fact]
    public void TheLimitHoldsPerDocumentAndNamesTheLineWhereTheLargeOneStarts()
    {
        var options = new YamlOptions { MaxDocumentBytes = 1000 };
        var small = ManyKeys(900);
        Assert.Equal(3, KubeYaml.ParseAll($"{small}---\n{small}...\n---\n{small}", options).Count);

        var stream = $"{small}---\n{ManyKeys(1001)}";
        var error = Assert.Throws<YamlException>(() => KubeYaml.ParseAll(stream, options));
        var line = small.Count(c => c == '\n') + 1;
        Assert.StartsWith($"yaml: line {line}: document of ", error.Message);
        Assert.EndsWith(" exceeds the limit of 1000 bytes", error.Message);
        Assert.Throws<YamlException>(() => KubeYaml.ParseFirst(stream, options));

        // Multi-byte characters count as the bytes they take.
        var wide = "a: " + new string('é', 600) + "\n";
        Assert.Throws<YamlException>(() => KubeYaml.ParseAll(wide, options));
        Assert.Single(KubeYaml.ParseAll(wide, new YamlOptions { MaxDocumentBytes = 1210 }));
    }

    [Fact]
    public void ParsingMemoryGrowsInProportionToTheDocument()
    {
        // A large but allowed document made of small tokens, the costliest shape to parse: allocations grow linearly
        // with the input, and what stays alive (the parsed objects) is a small multiple of it.
        KubeYaml.ParseAll(ManyKeys(100_000));
        var quarter = AllocatedToParse(ManyKeys(YamlOptions.DefaultMaxDocumentBytes / 32));
        var whole = AllocatedToParse(ManyKeys(YamlOptions.DefaultMaxDocumentBytes / 8));
        Assert.True(whole < quarter * 4.4, $"4x the input allocated {whole / (double)quarter:F2}x the bytes");

        var crd = File.ReadAllText(LargestCorpusManifest());
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var parsed = KubeYaml.ParseAll(crd);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        GC.KeepAlive(parsed);
        Assert.True(retained < 10L * crd.Length, $"a {crd.Length}-character manifest keeps {retained} bytes alive");
    }

    private static long AllocatedToParse(string yaml)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        KubeYaml.ParseAll(yaml);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>The biggest manifest of the kustomize corpus (a CRD of about 1.4 MB).</summary>
    private static string LargestCorpusManifest() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.Corpus, "kustomize"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "expected.yaml")
            .MaxBy(f => new FileInfo(f).Length)!;

    /// <summary>One ConfigMap document of at least <paramref name="bytes"/> bytes, one short key per line.</summary>
    private static string ManyKeys(long bytes)
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
        for (var i = 0; yaml.Length < bytes; i++)
        {
            yaml.Append("  k").Append(i).Append(": v").Append(i).Append('\n');
        }

        return yaml.ToString();
    }
}

/// <summary>Memory figures read the whole process's heap: no other test may run meanwhile.</summary>
[CollectionDefinition(nameof(DocumentSizeCollection), DisableParallelization = true)]
public sealed class DocumentSizeCollection;
