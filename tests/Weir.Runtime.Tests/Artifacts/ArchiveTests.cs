using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Weir.Runtime.Artifacts;
using Weir.Testing;

namespace Weir.Runtime.Tests.Artifacts;

/// <summary>Deterministic packing, Flux's exclusions, kept modes and safe extraction of hostile archives.</summary>
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

    // Packing and compressing run side by side; the pipe between them may carry any chunks, and gzip (zlib-ng) writes
    // different bytes for differently chunked input. The same large tree packed again gives the same bytes.
    [Fact]
    public async Task ALargeTreePackedTwiceGivesTheSameBytes()
    {
        var dir = TestEnv.TempDir("weir-archive-");
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(1, 40_000)];
            random.NextBytes(bytes);
            Directory.CreateDirectory(Path.Combine(dir, $"d{i % 17}"));
            await File.WriteAllBytesAsync(Path.Combine(dir, $"d{i % 17}", $"f{i}.bin"), i % 3 == 0 ? bytes : Encoding.ASCII.GetBytes(Convert.ToHexString(bytes)));
        }

        var first = await PackAsync(dir);
        using var tar = new MemoryStream();
        await using (var gunzip = new GZipStream(new MemoryStream(first), CompressionMode.Decompress))
        {
            await gunzip.CopyToAsync(tar);
        }

        Assert.True(tar.Length > 8 << 20, "the tree should exceed the pipe's 4 MiB pause threshold");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Digest(first), Digest(await PackAsync(dir)));
        }
    }

    // .NET names a PAX header after the writing process (PaxHeaders.<pid>); an archive carrying one differs per process.
    // A name longer than USTAR's 100 bytes is the case that would need one.
    [Fact]
    public async Task HeadersCarryNothingOfTheProcessOrTheClock()
    {
        var dir = TestEnv.SampleDir("d");
        var deep = Path.Combine(dir, new string('n', 90), new string('m', 60));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "long-named.yaml"), "a: 1\n");
        var first = await PackAsync(dir);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        Assert.Equal(Digest(first), Digest(await PackAsync(dir)));

        using var tar = new MemoryStream();
        await new GZipStream(new MemoryStream(first), CompressionMode.Decompress).CopyToAsync(tar);
        Assert.DoesNotContain("PaxHeaders", Encoding.ASCII.GetString(tar.ToArray()));
        tar.Position = 0;
        var names = new List<string>();
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
                Assert.Equal((ArtifactArchiver.FixedTime, 0, 0), (e.ModificationTime, e.Uid, e.Gid));
                Assert.Equal(("", ""), (((PosixTarEntry)e).UserName, ((PosixTarEntry)e).GroupName));
            }
        }
        Assert.Contains($"{new string('n', 90)}/{new string('m', 60)}/long-named.yaml", names);
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
        RawArtifacts.TarGz(t => { File_(t, "ok.yaml", "ok"); File_(t, "../escape.yaml", "bad"); }),
        "refusing to extract '../escape.yaml': path escapes the target directory");

    [Fact]
    public Task NestedDotDotEntryIsRejected() => AssertRejectedAsync(
        RawArtifacts.TarGz(t => File_(t, "a/b/../../../escape.yaml", "bad")),
        "refusing to extract 'a/b/../../../escape.yaml': path escapes the target directory");

    [Fact]
    public Task AbsolutePathIsRejected() => AssertRejectedAsync(
        RawArtifacts.TarGz(t => File_(t, "/tmp/weir-escape-test", "bad")),
        "refusing to extract '/tmp/weir-escape-test': absolute path");

    // Flux's untar refuses symbolic links in artifacts, wherever they point.
    [Theory]
    [InlineData("../../../../tmp")]
    [InlineData("/etc")]
    [InlineData("b.yaml")]
    [InlineData(".")]
    public Task SymlinksAreRefusedWhereverTheyPoint(string target) => AssertRejectedAsync(
        RawArtifacts.TarGz(t => { File_(t, "b.yaml", "b"); Link(t, "a/link.yaml", target); }),
        "tar file entry a/link.yaml is a symlink, which is not allowed in this context");

    [Fact]
    public async Task AHardLinkThroughLinksCopiesNothingFromBesideTheTarget()
    {
        var sandbox = TestEnv.TempDir();
        var canary = Path.Combine(sandbox, "canary");
        Directory.CreateDirectory(canary);
        File.WriteAllText(Path.Combine(canary, "secret"), "host secret");
        var target = Path.Combine(sandbox, "target");
        // Each link's text stays inside the target; resolved one after the other they lead beside it.
        var archive = RawArtifacts.TarGz(t =>
        {
            t.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d/"));
            Link(t, "d/up", "..");
            Link(t, "out", "d/up/..");
            t.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "stolen") { LinkName = "out/canary/secret" });
        });

        var e = await Assert.ThrowsAsync<ArchiveException>(() => SafeExtractor.ExtractAsync(new MemoryStream(archive), target));

        Assert.Equal("tar file entry d/up is a symlink, which is not allowed in this context", e.Message);
        Assert.False(Directory.Exists(target));
        Assert.Equal(["canary"], Directory.EnumerateFileSystemEntries(sandbox).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AHardLinkIsACopyOfAFileExtractedBeforeIt()
    {
        var target = Path.Combine(TestEnv.TempDir(), "target");
        var archive = RawArtifacts.TarGz(t =>
        {
            File_(t, "a/b.yaml", "b");
            t.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "c/same.yaml") { LinkName = "a/b.yaml" });
        });

        var result = await SafeExtractor.ExtractAsync(new MemoryStream(archive), target);

        Assert.Equal(new ExtractionResult(2, 2), result);
        Assert.Equal("b", File.ReadAllText(Path.Combine(target, "c", "same.yaml")));
        File.WriteAllText(Path.Combine(target, "a", "b.yaml"), "changed");
        Assert.Equal("b", File.ReadAllText(Path.Combine(target, "c", "same.yaml")));
    }

    [Theory]
    [InlineData("present.yaml")]
    [InlineData("missing.yaml")]
    [InlineData("../outside.yaml")]
    [InlineData("/etc/hostname")]
    [InlineData("dir")]
    public async Task AHardLinkToAnythingButAFileThisArchiveExtractedIsRefused(string linkName)
    {
        var target = TestEnv.TempDir();
        File.WriteAllText(Path.Combine(target, "present.yaml"), "already there");
        var archive = RawArtifacts.TarGz(t =>
        {
            t.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dir/"));
            t.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "copy.yaml") { LinkName = linkName });
        });

        var e = await Assert.ThrowsAsync<ArchiveException>(() => SafeExtractor.ExtractAsync(new MemoryStream(archive), target));

        Assert.Equal($"refusing to extract 'copy.yaml': hard link to '{linkName}', which is not a file extracted before it", e.Message);
        Assert.False(File.Exists(Path.Combine(target, "copy.yaml")));
        Assert.Equal("already there", File.ReadAllText(Path.Combine(target, "present.yaml")));
    }

    [Fact]
    public async Task NothingIsWrittenThroughALinkAlreadyInTheTarget()
    {
        var sandbox = TestEnv.TempDir();
        var canary = Path.Combine(sandbox, "canary");
        Directory.CreateDirectory(canary);
        var target = Path.Combine(sandbox, "target");
        Directory.CreateDirectory(target);
        File.CreateSymbolicLink(Path.Combine(target, "dir"), canary);
        File.CreateSymbolicLink(Path.Combine(target, "file.yaml"), Path.Combine(canary, "victim.yaml"));
        File.WriteAllText(Path.Combine(canary, "victim.yaml"), "untouched");

        foreach (var name in new[] { "dir/x.yaml", "file.yaml" })
        {
            var e = await Assert.ThrowsAsync<ArchiveException>(() =>
                SafeExtractor.ExtractAsync(new MemoryStream(RawArtifacts.TarGz(t => File_(t, name, "overwritten"))), target));
            Assert.Equal($"refusing to extract '{name}': it would be written through the symbolic link '{name.Split('/')[0]}'", e.Message);
        }

        Assert.Equal(["victim.yaml"], Directory.EnumerateFileSystemEntries(canary).Select(Path.GetFileName));
        Assert.Equal("untouched", File.ReadAllText(Path.Combine(canary, "victim.yaml")));
    }

    [Fact]
    public async Task AFileAlreadyInTheTargetIsReplacedNotWrittenInto()
    {
        var sandbox = TestEnv.TempDir();
        var outside = Path.Combine(sandbox, "outside.yaml");
        File.WriteAllText(outside, "untouched");
        var target = Path.Combine(sandbox, "target");
        Directory.CreateDirectory(target);
        // A second name of the same file (a hard link made before extraction) must not be written through.
        using (var ln = System.Diagnostics.Process.Start("ln", [outside, Path.Combine(target, "a.yaml")]))
        {
            await ln.WaitForExitAsync();
            Assert.Equal(0, ln.ExitCode);
        }

        await SafeExtractor.ExtractAsync(new MemoryStream(RawArtifacts.TarGz(t => File_(t, "a.yaml", "new"))), target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "a.yaml")));
        Assert.Equal("untouched", File.ReadAllText(outside));
    }

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
        var archive = RawArtifacts.TarGz(t => t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "zeros.bin") { DataStream = new MemoryStream(new byte[64 << 20]) }));
        Assert.True(archive.Length < 1 << 20);
        await AssertRejectedAsync(archive, "refusing to extract: the archive decompresses to more than 8388608 bytes",
            new ExtractionLimits { MaxDecompressedSize = 8 << 20 });
        await AssertRejectedAsync(archive, "refusing to extract 'zeros.bin': its size 67108864 would exceed the limit of 1048576 bytes",
            new ExtractionLimits { MaxTotalSize = 1 << 20 });
    }

    [Fact]
    public Task TooManyEntriesAreRejected() => AssertRejectedAsync(
        RawArtifacts.TarGz(t => { for (var i = 0; i < 5; i++) { File_(t, $"f{i}", "x"); } }),
        "refusing to extract 'f3': the archive has more than 3 entries",
        new ExtractionLimits { MaxEntries = 3 });

    // ---- modes ----

    private const UnixFileMode Setuid = UnixFileMode.SetUser;

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task PackingKeepsPermissionBitsAndDropsSpecialOnes()
    {
        var dir = TestEnv.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "private"));
        File.WriteAllText(Path.Combine(dir, "private", "key.yaml"), "k");
        File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/bin/sh");
        File.WriteAllText(Path.Combine(dir, "suid"), "s");
        File.SetUnixFileMode(Path.Combine(dir, "private"), Mode("700"));
        File.SetUnixFileMode(Path.Combine(dir, "private", "key.yaml"), Mode("600"));
        File.SetUnixFileMode(Path.Combine(dir, "run.sh"), Mode("750"));
        File.SetUnixFileMode(Path.Combine(dir, "suid"), Mode("755") | Setuid);

        var modes = new Dictionary<string, UnixFileMode>();
        using (var tar = new TarReader(new GZipStream(new MemoryStream(await PackAsync(dir)), CompressionMode.Decompress)))
        {
            while (tar.GetNextEntry() is { } e)
            {
                modes[e.Name] = e.Mode;
            }
        }

        Assert.Equal(new Dictionary<string, UnixFileMode>
        {
            ["private/"] = Mode("700"),
            ["private/key.yaml"] = Mode("600"),
            ["run.sh"] = Mode("750"),
            ["suid"] = Mode("755"),
        }, modes);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ExtractionKeepsPermissionBitsAndDropsSpecialOnes()
    {
        var target = Path.Combine(TestEnv.TempDir(), "target");
        var archive = RawArtifacts.TarGz(t =>
        {
            t.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "private/") { Mode = Mode("750") });
            t.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "locked/") { Mode = Mode("000") });
            t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "private/key.yaml") { Mode = Mode("600"), DataStream = new MemoryStream("k"u8.ToArray()) });
            t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "run.sh") { Mode = Mode("754") | Setuid | UnixFileMode.SetGroup, DataStream = new MemoryStream("r"u8.ToArray()) });
            t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "implicit/read-only.yaml") { Mode = Mode("444"), DataStream = new MemoryStream("i"u8.ToArray()) });
            t.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "run-too.sh") { LinkName = "run.sh" });
        });

        await SafeExtractor.ExtractAsync(new MemoryStream(archive), target);

        UnixFileMode Of(string rel) => File.GetUnixFileMode(Path.Combine(target, rel));
        Assert.Equal(Mode("750"), Of("private"));
        Assert.Equal(Mode("700"), Of("locked"));
        Assert.Equal(Mode("600"), Of("private/key.yaml"));
        Assert.Equal(Mode("754"), Of("run.sh"));
        Assert.Equal(Mode("754"), Of("run-too.sh"));
        Assert.Equal(Mode("755"), Of("implicit"));
        Assert.Equal(Mode("444"), Of("implicit/read-only.yaml"));
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
