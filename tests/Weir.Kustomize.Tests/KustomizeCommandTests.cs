using System.Diagnostics;

namespace Weir.Kustomize.Tests;

/// <summary><c>weir kustomize build</c> prints what <c>kubectl kustomize</c> printed, byte for byte.</summary>
public sealed class KustomizeCommandTests
{
    private static (int Code, string Stdout, string Stderr) Weir(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "weir.dll"), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void BuildPrintsKubectlOutputByteForByte()
    {
        var c = CorpusCase.All().First(x => !x.ExpectError && x.Restriction == Loading.LoadRestriction.RootOnly && x.Name.Contains("podinfo"));
        var (code, stdout, stderr) = Weir(c.Input, "kustomize", "build", c.Build);
        Assert.True(code == 0, stderr);
        Assert.Equal(c.ExpectedText, stdout);
    }

    [Fact]
    public void LoadRestrictorNoneIsAccepted()
    {
        var c = CorpusCase.All().First(x => !x.ExpectError && x.Restriction == Loading.LoadRestriction.None);
        var (code, stdout, stderr) = Weir(c.Input, "kustomize", "build", c.Build, "--load-restrictor", "LoadRestrictionsNone");
        Assert.True(code == 0, stderr);
        Assert.Equal(c.ExpectedText, stdout);
    }
}
