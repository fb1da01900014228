using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

public class KubeYamlApiTests
{
    [Fact]
    public void ParseAllSkipsEmptyDocuments()
    {
        var docs = KubeYaml.ParseAll("---\n# only a comment\n---\na: 1\n---\n---\n~\n---\nb: 2\n...\n");
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], docs.Select(d => d!.ToJsonString()));
    }

    [Fact]
    public void ParseAllKeepsAnchorsPerDocument()
    {
        var error = Assert.Throws<YamlException>(() => KubeYaml.ParseAll("a: &x 1\n---\nb: *x\n"));
        Assert.Contains("unknown anchor 'x'", error.Message);
    }

    [Fact]
    public void ParseWantsOneDocument()
    {
        Assert.Null(KubeYaml.Parse(""));
        Assert.Equal("{\"a\":1}", KubeYaml.Parse("---\na: 1\n")!.ToJsonString());
        var error = Assert.Throws<YamlException>(() => KubeYaml.Parse("a: 1\n---\nb: 2\n"));
        Assert.Contains("single document", error.Message);
    }

    [Fact]
    public void DuplicateKeysCanBeRefused()
    {
        const string yaml = "a: 1\nb: 2\na: 3\n";
        Assert.Equal("{\"a\":3,\"b\":2}", KubeYaml.Parse(yaml)!.ToJsonString());
        var error = Assert.Throws<YamlException>(() => KubeYaml.Parse(yaml, new YamlOptions { RejectDuplicateKeys = true }));
        Assert.Equal("yaml: line 3: mapping key \"a\" already defined at line 1", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void SyntaxErrorsCarryTheirLine()
    {
        var error = Assert.Throws<YamlException>(() => KubeYaml.Parse("a: 1\nb: c: d\n"));
        Assert.Equal(2, error.Line);
        Assert.Equal("yaml: line 2: mapping values are not allowed in this context", error.Message);
    }

    [Fact]
    public void IntegersAreLongsAndFloatsDoubles()
    {
        var node = KubeYaml.Parse("i: 0x10\nu: 18446744073709551615\nf: 1.5\n")!.AsObject();
        Assert.Equal(16L, node["i"]!.GetValue<long>());
        Assert.Equal(ulong.MaxValue, node["u"]!.GetValue<ulong>());
        Assert.Equal(1.5, node["f"]!.GetValue<double>());
    }
}
