namespace Weir.Core.Tests;

public class WeirVersionTests
{
    [Fact]
    public void CurrentIsASemanticVersion() =>
        Assert.Matches(@"^\d+\.\d+\.\d+", WeirVersion.Current);
}
