using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Weir.Runtime.Artifacts;
using Weir.Testing;

namespace Weir.Runtime.Tests.Artifacts;

/// <summary>Deterministic packing, Flux's exclusions and safe extraction of hostile archives.</summary>
public class ArchiveTests
{
    private static async Task<byte[]> PackAsync(string dir)
    {
        using var output = new MemoryStream();
        await ArtifactArchiver.CreateAsync(dir, output);
        return output.ToArray();
    }

    private static string Digest(byte[] archive) => Convert.ToHexString(SHA256.HashData(archive));

    [Fact]
    public async Task SameContentGivesTheSameDigestWhateverTheTimestamps()
    {
        var dir = TestEnv.SampleDir("d");
        var first = Digest(await PackAsync(dir));
        foreach (var f in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        }
        Assert.Equal(first, Digest(await PackAsync(dir)));
        File.AppendAllText(Path.Combine(dir, "deploy", "kustomization.yaml"), "# changed\n");
        Assert.NotEqual(first, Digest(await PackAsync(dir)));
    }

    [Fact]
    public async Task FluxDefaultExclusionsAndSourceIgnoreAreApplied()
    {
        var dir = TestEnv.TempDir();
        void Write(string rel)
        {
            var p = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, rel);
        }
        foreach (var f in new[] { "a.yaml", ".git/config", ".github/workflows/ci.yml", "img.png", "bundle.tar.gz", ".sops.yaml",
            "codeship-steps.yml", "sub/b.yaml", "sub/secret.env", "sub/keep.env", "sub/.sourceignore", "docs/readme.md", "x/docs/y.md" })
        {
            Write(f);
        }
        File.WriteAllText(Path.Combine(dir, ".sourceignore"), "# comment\n/docs/\n");
        File.WriteAllText(Path.Combine(dir, "sub", ".sourceignore"), "*.env\n!keep.env\n");
        var names = new List<string>();
        using (var tar = new TarReader(new GZipStream(new MemoryStream(await PackAsync(dir)), CompressionMode.Decompress)))
        {
            while (tar.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
                Assert.Equal(ArtifactArchiver.FixedTime, e.ModificationTime);
                Assert.Equal(0, e.Uid);
            }
        }
        Assert.Equal([".sourceignore", "a.yaml", "sub/", "sub/.sourceignore", "sub/b.yaml", "sub/keep.env", "x/", "x/docs/", "x/docs/y.md"], names);
    }

    // ---- hostile archives ----

    private static byte[] TarGz(Action<TarWriter> write)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
        {
            write(tar);
        }
        return output.ToArray();
    }

    private static void File_(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    private static void Link(TarWriter tar, string name, string target) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    private static async Task AssertRejectedAsync(byte[] archive, string expectedMessage, ExtractionLimits? limits = null)
    {
        var sandbox = TestEnv.TempDir();
        var target = Path.Combine(sandbox, "target");
        var e = await Assert.ThrowsAsync<ArchiveException>(() => SafeExtractor.ExtractAsync(new MemoryStream(archive), target, limits));
        Assert.Equal(expectedMessage, e.Message);
        // Nothing is left anywhere: not outside the target, and the target this call created is gone.
        Assert.Empty(Directory.EnumerateFileSystemEntries(sandbox, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/weir-escape-test"));
    }

    [Fact]
    public Task DotDotEntryIsRejected() => AssertRejectedAsync(
        TarGz(t => { File_(t, "ok.yaml", "ok"); File_(t, "../escape.yaml", "bad"); }),
        "refusing to extract '../escape.yaml': path escapes the target directory");

    [Fact]
    public Task NestedDotDotEntryIsRejected() => AssertRejectedAsync(
        TarGz(t => File_(t, "a/b/../../../escape.yaml", "bad")),
        "refusing to extract 'a/b/../../../escape.yaml': path escapes the target directory");

    [Fact]
    public Task AbsolutePathIsRejected() => AssertRejectedAsync(
        TarGz(t => File_(t, "/tmp/weir-escape-test", "bad")),
        "refusing to extract '/tmp/weir-escape-test': absolute path");

    [Fact]
    public Task SymlinkEscapingTheTargetIsRejected() => AssertRejectedAsync(
        TarGz(t => { File_(t, "ok.yaml", "ok"); Link(t, "evil", "../../../../tmp"); }),
        "refusing to extract 'evil': symbolic link target '../../../../tmp' escapes the target directory");

    [Fact]
    public Task SymlinkToAbsolutePathIsRejected() => AssertRejectedAsync(
        TarGz(t => Link(t, "evil", "/etc")),
        "refusing to extract 'evil': symbolic link to absolute path '/etc'");

    [Fact]
    public Task WritingThroughAnInternalSymlinkIsRejected() => AssertRejectedAsync(
        TarGz(t => { t.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dir/")); Link(t, "alias", "dir"); File_(t, "alias/x.yaml", "x"); }),
        "refusing to extract 'alias/x.yaml': it would be written through the symbolic link 'alias'");

    [Fact]
    public Task HugeDeclaredSizeIsRejectedBeforeReading()
    {
        // A ustar header declaring 8 GiB of content with none following: only the header is read.
        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, "huge.bin");
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, "100000000000");
        Put(136, "00000000000\0");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(148, "        ");
        var sum = header.Sum(b => b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(header);
            gz.Write(new byte[1024]);
        }
        return AssertRejectedAsync(output.ToArray(),
            "refusing to extract 'huge.bin': its size 8589934592 would exceed the limit of 1073741824 bytes");
    }

    [Fact]
    public async Task GzipBombIsStoppedByTheDecompressionGuard()
    {
        // 64 MiB of zeros compresses to about 64 KiB; the guard stops reading at 8 MiB.
        var archive = TarGz(t => t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "zeros.bin") { DataStream = new MemoryStream(new byte[64 << 20]) }));
        Assert.True(archive.Length < 1 << 20);
        await AssertRejectedAsync(archive, "refusing to extract: the archive decompresses to more than 8388608 bytes",
            new ExtractionLimits { MaxDecompressedSize = 8 << 20 });
        await AssertRejectedAsync(archive, "refusing to extract 'zeros.bin': its size 67108864 would exceed the limit of 1048576 bytes",
            new ExtractionLimits { MaxTotalSize = 1 << 20 });
    }

    [Fact]
    public Task TooManyEntriesAreRejected() => AssertRejectedAsync(
        TarGz(t => { for (var i = 0; i < 5; i++) { File_(t, $"f{i}", "x"); } }),
        "refusing to extract 'f3': the archive has more than 3 entries",
        new ExtractionLimits { MaxEntries = 3 });

    [Fact]
    public async Task InternalSymlinksAndNestedFilesAreExtracted()
    {
        var target = TestEnv.TempDir();
        var archive = TarGz(t => { File_(t, "./a/b.yaml", "b"); Link(t, "a/link.yaml", "b.yaml"); });
        var result = await SafeExtractor.ExtractAsync(new MemoryStream(archive), target);
        Assert.Equal(1, result.Files);
        Assert.Equal("b", File.ReadAllText(Path.Combine(target, "a", "link.yaml")));
    }
}
