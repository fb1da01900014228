using System.Text.Json.Nodes;
using Weir.Core.Api.SourceExtensions;
using Weir.Sources.ArtifactGenerators;
using Weir.Testing;
using static Weir.Sources.Tests.ArtifactGenerators.GeneratorFixture;

namespace Weir.Sources.Tests.ArtifactGenerators;

/// <summary>Copy operations over directories as the sources would be extracted: cp-like paths, globs, exclude and the three strategies.</summary>
public sealed class CopyOperationsTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("weir-copy-");

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData("@src/config.yaml", "@artifact/apps/app.yaml", "apps/app.yaml")]
    [InlineData("@src/config.yaml", "@artifact/apps/", "apps/config.yaml")]
    [InlineData("@src/configs/*.yaml", "@artifact/apps/", "apps/configs/a.yaml,apps/configs/b.yaml")]
    [InlineData("@src/configs/", "@artifact/apps/", "apps/configs/a.yaml,apps/configs/b.yaml,apps/configs/notes.md,apps/configs/sub/c.yaml")]
    [InlineData("@src/configs/**", "@artifact/apps/", "apps/a.yaml,apps/b.yaml,apps/notes.md,apps/sub/c.yaml")]
    [InlineData("@src/", "@artifact/", "config.yaml,configs/a.yaml,configs/b.yaml,configs/notes.md,configs/sub/c.yaml")]
    // fs.Glob, as source-watcher uses for Overwrite: ** is one path segment, so only configs/sub matches here.
    [InlineData("@src/**/*.yaml", "@artifact/", "configs/a.yaml,configs/b.yaml")]
    public async Task CopiesAsCpDoes(string from, string to, string expected)
    {
        var files = await CopyAsync(new CopyOperation { From = from, To = to });

        Assert.Equal(expected.Split(','), files.Keys);
    }

    [Fact]
    public async Task ExcludeMatchesTheSourcePathThePathBelowThePrefixAndBareNames()
    {
        var files = await CopyAsync(new CopyOperation { From = "@src/configs/**", To = "@artifact/", Exclude = ["*.md", "sub/**"] });

        Assert.Equal(["a.yaml", "b.yaml"], files.Keys);
    }

    [Fact]
    public async Task LaterOperationsOverwriteEarlierFiles()
    {
        var files = await CopyAsync(
            new CopyOperation { From = "@src/configs/a.yaml", To = "@artifact/x.yaml" },
            new CopyOperation { From = "@src/configs/b.yaml", To = "@artifact/x.yaml" });

        Assert.Equal("b: 2\n", files["x.yaml"]);
    }

    [Fact]
    public async Task AGlobMatchingNothingOrOnlyExcludedFilesFails()
    {
        var none = await Assert.ThrowsAsync<CopyException>(() => CopyAsync(new CopyOperation { From = "@src/nothing/*.yaml", To = "@artifact/" }));
        var excluded = await Assert.ThrowsAsync<CopyException>(() =>
            CopyAsync(new CopyOperation { From = "@src/configs/*.md", To = "@artifact/", Exclude = ["*.md"] }));
        var missing = await Assert.ThrowsAsync<CopyException>(() => CopyAsync(new CopyOperation { From = "@src/absent.yaml", To = "@artifact/" }));
        var escape = await Assert.ThrowsAsync<CopyException>(() => CopyAsync(new CopyOperation { From = "@src/config.yaml", To = "@artifact/../../x" }));

        Assert.Equal("failed to apply copy operation from '@src/nothing/*.yaml' to '@artifact/': no files match pattern 'nothing/*.yaml' in source 'src'", none.Message);
        Assert.Equal("failed to apply copy operation from '@src/configs/*.md' to '@artifact/': all files matching pattern 'configs/*.md' in source 'src' were excluded",
            excluded.Message);
        Assert.Equal("failed to apply copy operation from '@src/absent.yaml' to '@artifact/': source 'absent.yaml' does not exist", missing.Message);
        Assert.Contains("path escapes from parent", escape.Message);
    }

    [Fact]
    public async Task MergeDeepMergesYamlAsHelmMergesValuesFiles()
    {
        const string Base = "image:\n  repository: ghcr.io/app\n  tag: 1.0.0\nports:\n- 80\n- 443\nreplicas: 1\nmeta:\n  a: x\n";
        const string Overlay = "image:\n  tag: 2.0.0\nports:\n- 8080\nreplicas: 3\nmeta: flat\nextra:\n  nested: yes\n";
        Write("chart/values.yaml", Base);
        Write("prod.yaml", Overlay);

        var files = await CopyAsync(
            new CopyOperation { From = "@src/chart/values.yaml", To = "@artifact/values.yaml" },
            new CopyOperation { From = "@src/prod.yaml", To = "@artifact/values.yaml", Strategy = "Merge" });

        // Go's answer: the overlay deep-merged over the base (lists replaced), marshalled by sigs.k8s.io/yaml.
        var expected = GoOracle.Templates(["{{ mergeOverwrite (fromYaml .base) (fromYaml .overlay) | toYaml }}"], "helm",
            new JsonObject { ["base"] = Base, ["overlay"] = Overlay })[0];
        Assert.Null(expected.Error);
        Assert.Equal(expected.Output + "\n", files["values.yaml"]);
    }

    [Fact]
    public async Task MergeIntoAMissingFileCopiesIt()
    {
        var files = await CopyAsync(new CopyOperation { From = "@src/configs/a.yaml", To = "@artifact/values.yaml", Strategy = "Merge" });

        Assert.Equal("a: 1\n", files["values.yaml"]);
    }

    [Fact]
    public async Task ExtractUnpacksTarballsAndSkipsOtherFilesOfAGlob()
    {
        WriteBytes("charts/podinfo-6.0.0.tgz", TarGz(new Dictionary<string, byte[]>
        {
            ["podinfo/Chart.yaml"] = Utf8("name: podinfo\n"),
            ["podinfo/values.yaml"] = Utf8("replicas: 1\n"),
        }));
        Write("charts/README.md", "not a tarball\n");

        var files = await CopyAsync(new CopyOperation { From = "@src/charts/**", To = "@artifact/vendor/", Strategy = "Extract" });

        Assert.Equal(new Dictionary<string, string> { ["vendor/podinfo/Chart.yaml"] = "name: podinfo\n", ["vendor/podinfo/values.yaml"] = "replicas: 1\n" },
            files);
    }

    [Fact]
    public async Task ExtractOfASingleFileThatIsNoTarballFails()
    {
        var error = await Assert.ThrowsAsync<CopyException>(() =>
            CopyAsync(new CopyOperation { From = "@src/config.yaml", To = "@artifact/", Strategy = "Extract" }));

        Assert.EndsWith("extract strategy requires tarball file (.tar.gz or .tgz), got 'config.yaml'", error.Message);
    }

    [Fact]
    public async Task AnExtractedTarballThatEscapesIsRefused()
    {
        WriteBytes("evil.tgz", TarGz(new Dictionary<string, byte[]> { ["../../outside.yaml"] = Utf8("x: 1\n") }));

        var error = await Assert.ThrowsAsync<CopyException>(() => CopyAsync(new CopyOperation { From = "@src/evil.tgz", To = "@artifact/", Strategy = "Extract" }));

        Assert.Contains("path escapes the target directory", error.Message);
        Assert.False(File.Exists(Path.Combine(_work.FullName, "outside.yaml")));
    }

    private async Task<SortedDictionary<string, string>> CopyAsync(params CopyOperation[] operations)
    {
        Write("config.yaml", "c: 0\n", onlyIfMissing: true);
        Write("configs/a.yaml", "a: 1\n", onlyIfMissing: true);
        Write("configs/b.yaml", "b: 2\n", onlyIfMissing: true);
        Write("configs/notes.md", "notes\n", onlyIfMissing: true);
        Write("configs/sub/c.yaml", "c: 3\n", onlyIfMissing: true);
        var staging = Directory.CreateDirectory(Path.Combine(_work.FullName, "staging", Guid.NewGuid().ToString("N"))).FullName;
        await new CopyOperations(new Dictionary<string, string> { ["src"] = Path.Combine(_work.FullName, "src") }, staging)
            .ApplyAsync(operations, CancellationToken.None);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(staging, file).Replace('\\', '/')] = await File.ReadAllTextAsync(file);
        }

        return files;
    }

    private void Write(string path, string content, bool onlyIfMissing = false)
    {
        var full = Path.Combine(_work.FullName, "src", path);
        if (onlyIfMissing && File.Exists(full))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private void WriteBytes(string path, byte[] content)
    {
        var full = Path.Combine(_work.FullName, "src", path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }
}
