using System.Formats.Tar;
using System.IO.Compression;
using Weir.Core.Api.Source;
using Weir.Runtime.Artifacts;
using Weir.Sources.GitRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.GitRepositories;

/// <summary>The artifact packed from the git objects is byte for byte the one packed from the commit's checkout.</summary>
public sealed class GitTreeArchiveTests(GitServerFixture git) : IClassFixture<GitServerFixture>
{
    private const long MaxSize = 64L * 1024 * 1024;

    [Theory]
    [InlineData(null)]
    [InlineData("spec-ignored/\n*.md\n")]
    public async Task ObjectsAndCheckoutGiveTheSameBytes(string? ignore)
    {
        var name = ignore is null ? "objects-default" : "objects-spec-ignore";
        var repo = await git.CreateRepositoryAsync(name);
        File.CreateSymbolicLink(Path.Combine(repo.Work, "inside.yaml"), "deploy/app.yaml");
        File.CreateSymbolicLink(Path.Combine(repo.Work, "outside.yaml"), "../../../../etc/hostname");
        await repo.CommitAsync(Files(
            ("deploy/app.yaml", "kind: ConfigMap\n"),
            ("deploy/nested/deep/more.yaml", "kind: Secret\n"),
            ("bin/run.sh", "#!/bin/sh\necho run\n"),
            ("sub/.sourceignore", "# local rules\n*.secret\n"),
            ("sub/a.secret", "hidden"),
            ("sub/keep.yaml", "kept: true\n"),
            ("a-b.yaml", "dash sorts before slash in git's order\n"),
            ("a/c.yaml", "in a directory\n"),
            ("logo.png", "not an image"),
            (".github/workflows/ci.yml", "on: push\n"),
            ("spec-ignored/x.txt", "x\n"),
            ("README.md", "# readme\n"),
            ("ünïcode/ß.yaml", "name: ß\n")));
        await repo.RunAsync("update-index", "--chmod=+x", "bin/run.sh");
        await repo.RunAsync("commit", "-q", "-m", "executable");
        await repo.RunAsync("push", "-q", "origin", "HEAD:refs/heads/main");

        var (fromCheckout, fromObjects) = await BothWaysAsync(name, ignore);

        Assert.NotNull(fromObjects);
        Assert.Equal(fromCheckout, fromObjects);
        var entries = Entries(fromObjects);
        Assert.Contains("sub/keep.yaml", entries.Keys);
        Assert.DoesNotContain("sub/a.secret", entries.Keys);
        Assert.DoesNotContain("inside.yaml", entries.Keys);
        Assert.DoesNotContain("outside.yaml", entries.Keys);
        Assert.Equal((UnixFileMode)0b111_101_101 & ~Umask(), entries["bin/run.sh"] & (UnixFileMode)0b111_111_111);
        Assert.Equal(ignore is null, entries.ContainsKey("spec-ignored/x.txt"));
        Assert.Equal(ignore is not null, entries.ContainsKey(".github/")); // spec.ignore replaces the defaults
        Assert.Equal(ignore is null, entries.ContainsKey("README.md"));
        var order = entries.Keys.ToList();
        Assert.True(order.IndexOf("a/") < order.IndexOf("a-b.yaml"), "entries follow the checkout's order, not git's");
    }

    [Fact]
    public async Task CommitsACheckoutWouldWriteDifferentlyAreDeclined()
    {
        var repo = await git.CreateRepositoryAsync("objects-declined");
        await repo.CommitAsync(Files(("app.yaml", "kind: ConfigMap\n"), ("notes.txt", "$Format:%H$\n"), (".gitattributes", "notes.txt export-subst\n")));
        var (fromCheckout, fromObjects) = await BothWaysAsync("objects-declined", null);
        Assert.Null(fromObjects);
        Assert.Contains("app.yaml", Entries(fromCheckout).Keys);

        await repo.CommitAsync(Files((".gitattributes", null), ("sub/real-ignore", "*.yaml\n")));
        File.CreateSymbolicLink(Path.Combine(repo.Work, "sub", ".sourceignore"), "real-ignore");
        await repo.CommitAsync(Files());
        (_, fromObjects) = await BothWaysAsync("objects-declined", null);
        Assert.Null(fromObjects);
    }

    // The artifact of the branch's head packed from a checkout, and from the objects (null when declined).
    private async Task<(byte[] Checkout, byte[]? Objects)> BothWaysAsync(string name, string? ignore)
    {
        var work = TestEnv.TempDir("weir-git-objects-");
        try
        {
            var url = git.AnonymousUrl(name);
            using var access = new GitAccess(url);
            var checkout = new GitCheckout(new GitCommand(access), url);
            var resolved = await checkout.ResolveAsync(new GitRepositoryRef { Branch = "main" }, CancellationToken.None);
            var gitDir = Path.Combine(work, "git");
            var commit = await checkout.FetchAsync(resolved, gitDir, MaxSize, CancellationToken.None);

            using var objects = new MemoryStream();
            var packed = await new GitTreeArchive(new GitCommand(access), gitDir)
                .TryCreateAsync(commit.Hash, objects, IgnoreRules.ForSpec(ignore), CancellationToken.None);
            Assert.True(packed || objects.Length == 0, "nothing is written when the objects are declined");

            var tree = Path.Combine(work, "tree");
            await checkout.CheckoutAsync(commit, gitDir, tree, null, CancellationToken.None);
            using var fromTree = new MemoryStream();
            await ArtifactArchiver.CreateAsync(tree, fromTree, IgnoreRules.ForSpec(ignore));
            return (fromTree.ToArray(), packed ? objects.ToArray() : null);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Dictionary<string, UnixFileMode> Entries(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var entries = new Dictionary<string, UnixFileMode>();
        while (tar.GetNextEntry() is { } entry)
        {
            entries.Add(entry.Name, entry.Mode);
        }

        return entries;
    }

    private static UnixFileMode Umask()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }

    private static Dictionary<string, string?> Files(params (string Path, string? Content)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Content);
}
