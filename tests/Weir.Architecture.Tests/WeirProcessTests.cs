namespace Weir.Architecture.Tests;

/// <summary>
/// Tests that start the <c>weir</c> process live in Weir.Cli.Tests only (through its <c>WeirRun</c>); every other
/// test project tests its library in-process. Starting weir means naming <c>weir.dll</c>, so no other test file may.
/// </summary>
public sealed class WeirProcessTests
{
    [Fact]
    public void OnlyTheCliTestsStartTheWeirProcess()
    {
        var tests = Path.Combine(TestPaths.RepoRoot, "tests");
        var offenders = Directory.GetFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetRelativePath(tests, f).Split(Path.DirectorySeparatorChar)[0] is not ("Weir.Cli.Tests" or "Weir.Architecture.Tests"))
            .Where(f => File.ReadAllText(f).Contains("weir.dll", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f))
            .ToList();
        Assert.True(offenders.Count == 0, "these start the weir process outside Weir.Cli.Tests: " + string.Join(", ", offenders));
    }
}
