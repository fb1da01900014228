using Weir.Core.Revisions;

namespace Weir.Core.Tests.Revisions;

public class RevisionTests
{
    private const string Sha256 = "3b6cdcc7adcc9a84d3214ee1c029543789d90b5ae69debe9efa3f66e982875de";
    private const string Sha1 = "4507da6f3dd0bdc7d9a3b4d70dc0a5c58e0ea2a3";

    [Theory]
    [InlineData("v2.1.0@sha256:" + Sha256, "v2.1.0", "sha256", Sha256)]
    [InlineData("main@sha1:" + Sha1, "main", "sha1", Sha1)]
    [InlineData("refs/pull/420/head@sha1:" + Sha1, "refs/pull/420/head", "sha1", Sha1)]
    [InlineData("sha256:" + Sha256, "", "sha256", Sha256)]
    public void ParsesNamedAndBareDigests(string text, string name, string algorithm, string hex)
    {
        var revision = Revision.Parse(text);
        Assert.Equal(name, revision.Name);
        Assert.Equal(new Digest(algorithm, hex), revision.Digest);
        Assert.Equal(text, revision.ToString());
    }

    [Theory]
    [InlineData("6.5.3")]
    [InlineData("6.6.1+0cc9a8446c95")]
    [InlineData("v1.0.0@sha256:short")]
    [InlineData("v1.0.0@sha256:" + "3B6CDCC7ADCC9A84D3214EE1C029543789D90B5AE69DEBE9EFA3F66E982875DE")]
    public void AnythingElseIsAPlainName(string text)
    {
        var revision = Revision.Parse(text);
        Assert.Null(revision.Digest);
        Assert.Equal(text, revision.ToString());
    }

    [Fact]
    public void FormatsTheOciTagForm() =>
        Assert.Equal("v2.1.0@sha256:" + Sha256, Revision.ForTag("v2.1.0", Digest.Sha256(Sha256)).ToString());

    [Fact]
    public void ShortDisplayCutsLongHexRuns()
    {
        Assert.Equal("main@sha1:4507da6f", Revision.ShortForDisplay("main@sha1:" + Sha1));
        Assert.Equal("v2.1.0@sha256:3b6cdcc7", Revision.ShortForDisplay("v2.1.0@sha256:" + Sha256));
        Assert.Equal("6.5.3", Revision.ShortForDisplay("6.5.3"));
    }

    [Fact]
    public void DigestParseErrorsNameTheInput()
    {
        var error = Assert.Throws<FormatException>(() => Digest.Parse("nodigest"));
        Assert.Contains("nodigest", error.Message);
    }
}
