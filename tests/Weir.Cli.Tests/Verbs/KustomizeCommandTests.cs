using Weir.Kustomize.Loading;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary><c>weir kustomize build</c> prints what <c>kubectl kustomize</c> printed, byte for byte.</summary>
public sealed class KustomizeCommandTests
{
    [Fact]
    public async Task BuildPrintsKubectlOutputByteForByte()
    {
        var c = CorpusCase.All().First(x => !x.ExpectError && x.Restriction == LoadRestriction.RootOnly && x.Name.Contains("podinfo"));
        var (code, stdout, stderr) = await WeirRun.ExecAsync(["kustomize", "build", c.Build], c.Input);
        Assert.True(code == 0, stderr);
        Assert.Equal(c.ExpectedText, stdout);
    }

    [Fact]
    public async Task LoadRestrictorNoneIsAccepted()
    {
        var c = CorpusCase.All().First(x => !x.ExpectError && x.Restriction == LoadRestriction.None);
        var (code, stdout, stderr) = await WeirRun.ExecAsync(["kustomize", "build", c.Build, "--load-restrictor", "LoadRestrictionsNone"], c.Input);
        Assert.True(code == 0, stderr);
        Assert.Equal(c.ExpectedText, stdout);
    }
}
