using System.Formats.Tar;
using System.IO.Compression;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Rendering;
using Weir.Templates.Values;

namespace Weir.Helm.Tests;

/// <summary><c>helm package</c>: the archive's layout and gzip header, and that it renders as the directory did.</summary>
public sealed class ChartPackagerTests
{
    [Fact]
    public void APackagedCorpusChartHasHelmsLayoutAndRendersAsItsDirectory()
    {
        var dir = Path.Combine(HelmCorpusCase.Root, "grafana-agent", "default-values", "chart", "grafana-agent");
        var chart = new ChartLoader().Load(dir);
        var outDir = Directory.CreateTempSubdirectory("weir-package-").FullName;
        try
        {
            var path = ChartPackager.Save(chart, outDir);

            Assert.Equal($"grafana-agent-{chart.Metadata.Version}.tgz", Path.GetFileName(path));
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08, 0x14 }, bytes[..4]);
            Assert.Equal("rr", System.Text.Encoding.ASCII.GetString(bytes, 12, 2));
            Assert.Equal(44, bytes[10]);
            Assert.Equal("Helm\0", System.Text.Encoding.ASCII.GetString(bytes, 12 + 44, 5));

            using (var tar = new TarReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress)))
            {
                var entries = new List<TarEntry>();
                while (tar.GetNextEntry() is { } e)
                {
                    entries.Add(e);
                }

                Assert.Equal("grafana-agent/Chart.yaml", entries[0].Name);
                Assert.Equal("grafana-agent/values.yaml", entries[1].Name);
                Assert.All(entries, e => Assert.Equal(TarEntryType.RegularFile, e.EntryType));
                Assert.All(entries, e => Assert.Equal((UnixFileMode)0b110_100_100, e.Mode));
                Assert.Contains(entries, e => e.Name == "grafana-agent/templates/_helpers.tpl");
            }

            var packaged = new ChartLoader().Load(path);
            var options = new TemplateOptions(new ReleaseOptions("agent", "default"));
            Assert.Equal(TemplateAction.Run(chart, new GoMap(), options).Output, TemplateAction.Run(packaged, new GoMap(), options).Output);
            Assert.Equal(chart.Metadata.ToJson().ToJsonString(), packaged.Metadata.ToJson().ToJsonString());
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
