using Weir.Core.Files;

namespace Weir.Core.Tests.Files;

/// <summary>The one rule for artifact and checkout files: resolved component by component, never outside the root.</summary>
public sealed class RootedFileSystemTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("weir-rooted-").FullName;

    public RootedFileSystemTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "a", "b"));
        Directory.CreateDirectory(Path.Combine(_sandbox, "outside"));
        File.WriteAllText(Path.Combine(Root, "a", "b", "file"), "inside");
        File.WriteAllText(Path.Combine(_sandbox, "outside", "file"), "outside");
    }

    private string Root => Path.Combine(_sandbox, "root");

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(Root, relative), target);

    private RootedFileSystem Files => new(Root);

    [Theory]
    [InlineData("a/b/file")]
    [InlineData("./a/../a/b/file")]
    [InlineData("missing/x")]
    public void PathsWithoutLinksResolveToThemselves(string path) =>
        Assert.Equal(Path.GetFullPath(Path.Combine(Root, path)), Files.Resolve(path));

    [Fact]
    public void ChainsOfLinksInsideTheRootAreFollowedToTheRealFile()
    {
        Link("up", "a/b/..");
        Link("a/b/again", "../../up/b");
        Link("abs", Path.Combine(Root, "a", "b", "again", "file"));

        Assert.Equal(Path.Combine(Root, "a", "b", "file"), Files.Resolve("abs"));
        Assert.Equal(Path.Combine(Root, "a", "b", "file"), Files.Resolve(Path.Combine(Root, "up", "b", "again", "file")));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("../root/a")]
    [InlineData("/")]
    public void ALinkLeavingTheRootIsRefusedEvenIfALaterStepWouldComeBack(string target)
    {
        Link("exit", target);
        var e = Assert.Throws<PathEscapeException>(() => Files.Resolve("exit/file"));
        Assert.Equal(Path.Combine(Root, "exit", "file"), e.Path);
        Assert.Equal(Root, e.Root);
    }

    [Fact]
    public void AnIntermediateLinkWhoseTextStaysInsideCannotCarryALaterDotDotOut()
    {
        // Read as text, every target stays inside; resolved step by step, 'out' is the root's parent.
        Link("a/b/top", "../..");
        Link("out", "a/b/top/..");

        Assert.Throws<PathEscapeException>(() => Files.Resolve("out/outside/file"));
        Assert.Throws<PathEscapeException>(() => Files.Resolve(Path.Combine(Root, "out")));
    }

    [Fact]
    public void APathOutsideTheRootIsRefusedBeforeAnythingIsLookedAt() =>
        Assert.Throws<PathEscapeException>(() => Files.Resolve(Path.Combine(_sandbox, "outside", "file")));

    [Fact]
    public void LoopsFailLikeRealpath()
    {
        Link("x", "y");
        Link("y", "x");
        Link("self", "self/a");

        Assert.Contains("too many levels of symbolic links", Assert.Throws<IOException>(() => Files.Resolve("x")).Message);
        Assert.Contains("too many levels of symbolic links", Assert.Throws<IOException>(() => Files.Resolve("self")).Message);
    }

    [Fact]
    public void TheRootItselfMayBeReachedThroughALink()
    {
        var alias = Path.Combine(_sandbox, "alias");
        Directory.CreateSymbolicLink(alias, Root);
        var files = new RootedFileSystem(alias);

        Assert.Equal(Root, files.Root);
        Assert.Equal(Path.Combine(Root, "a", "b", "file"), files.Resolve(Path.Combine(alias, "a", "b", "file")));
    }

    [Fact]
    public void WritingNeverGoesThroughALink()
    {
        Link("a/b/inner", "..");
        Link("last", "a/b/file");
        var files = Files;

        Assert.Equal(Path.Combine(Root, "a", "b", "new"), files.ResolveForWriting("a/b/new"));
        var through = Assert.Throws<PathEscapeException>(() => files.ResolveForWriting("a/b/inner/new"));
        Assert.Equal(Path.Combine(Root, "a", "b", "inner"), through.Path);
        Assert.Throws<PathEscapeException>(() => files.ResolveForWriting("last"));
        Assert.Throws<PathEscapeException>(() => files.ResolveForWriting("a/../../outside/new"));
    }
}
