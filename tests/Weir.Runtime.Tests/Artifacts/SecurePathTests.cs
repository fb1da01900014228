using Weir.Runtime.Artifacts;

namespace Weir.Runtime.Tests.Artifacts;

public sealed class SecurePathTests
{
    [Theory]
    [InlineData("", "/tmp/k")]
    [InlineData("./", "/tmp/k")]
    [InlineData("./apps/prod", "/tmp/k/apps/prod")]
    [InlineData("../../etc", "/tmp/k/etc")]
    [InlineData("apps/../../../x", "/tmp/k/x")]
    public void SpecPathStaysInsideTheArtifact(string path, string expected) =>
        Assert.Equal(expected, SecurePath.Join("/tmp/k", path));
}
