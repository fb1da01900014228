using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Rendering;
using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Tests;

/// <summary>Helm's chart semantics on small charts built in memory: values, subcharts, hooks, schemas, errors, hostile input.</summary>
public sealed class ChartRenderingTests
{
    private static Chart Load(params (string Name, string Text)[] files) =>
        new ChartLoader().LoadFiles(files.Select(f => new ChartFile(f.Name, Encoding.UTF8.GetBytes(f.Text))).ToList());

    private const string ChartYaml = "apiVersion: v2\nname: app\nversion: 1.0.0\n";

    private static string Render(Chart chart, string? values = null) =>
        TemplateAction.Run(chart, values is null ? new GoMap() : ValuesReader.Read(values), new TemplateOptions(new ReleaseOptions("rel", "ns"))).Output;

    [Fact]
    public void NullDeletesADefaultAndGlobalsReachSubcharts()
    {
        var chart = Load(
            ("Chart.yaml", ChartYaml + "dependencies:\n- name: sub\n  version: 0.1.0\n  alias: renamed\n"),
            ("values.yaml", "a: 1\nb: 2\nglobal:\n  region: eu\n"),
            ("templates/cm.yaml", "v: a={{ .Values.a }} b={{ .Values.b }} has-b={{ hasKey .Values \"b\" }}\n"),
            ("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
            ("charts/sub/values.yaml", "own: x\n"),
            ("charts/sub/templates/cm.yaml", "v: {{ .Chart.Name }} {{ .Values.own }} {{ .Values.global.region }} {{ .Template.Name }}\n"));

        var output = Render(chart, "b: null\nrenamed:\n  own: z\n");

        Assert.Contains("a=1 b= has-b=false", output, StringComparison.Ordinal);
        Assert.True(output.Contains("v: renamed z eu app/charts/renamed/templates/cm.yaml", StringComparison.Ordinal), output);
    }

    [Fact]
    public void ConditionsDisableSubchartsAndImportValuesReachTheParent()
    {
        var chart = Load(
            ("Chart.yaml", ChartYaml + "dependencies:\n- name: extra\n  version: '*'\n  condition: extra.enabled\n- name: lib\n  version: '*'\n  import-values: [data]\n"),
            ("templates/cm.yaml", "v: imported={{ .Values.shared }}\n"),
            ("charts/extra/Chart.yaml", "apiVersion: v2\nname: extra\nversion: 0.1.0\n"),
            ("charts/extra/values.yaml", "enabled: true\n"),
            ("charts/extra/templates/cm.yaml", "v: rendered-extra\n"),
            ("charts/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\n"),
            ("charts/lib/values.yaml", "exports:\n  data:\n    shared: from-lib\n"));

        var output = Render(chart, "extra:\n  enabled: false\n");

        Assert.DoesNotContain("rendered-extra", output, StringComparison.Ordinal);
        Assert.Contains("imported=from-lib", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestsFollowInstallOrderAndHooksAreSeparatedWithWeightsAndPolicies()
    {
        var chart = Load(
            ("Chart.yaml", ChartYaml),
            ("templates/a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n"),
            ("templates/b.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"),
            ("templates/hook.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n"),
            ("templates/unknown.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n  annotations:\n    helm.sh/hook: not-an-event\n"));

        var rendered = new ReleaseRenderer().Render(chart, new GoMap(), new RenderRequest(new ReleaseOptions("rel", "ns")));

        Assert.Equal(["Namespace", "ServiceAccount", "Deployment"], rendered.Manifests.Select(m => m.Kind));
        var hook = Assert.Single(rendered.Hooks);
        Assert.Equal(["pre-install", "pre-upgrade"], hook.HookEvents);
        Assert.Equal(-5, hook.Weight);
        Assert.Equal(["before-hook-creation", "hook-succeeded"], hook.DeletePolicies);
        Assert.DoesNotContain("skipped", rendered.Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaViolationsAreListedPerChart()
    {
        var chart = Load(
            ("Chart.yaml", ChartYaml),
            ("values.schema.json", "{\"type\":\"object\",\"properties\":{\"replicas\":{\"type\":\"integer\"}},\"required\":[\"replicas\"]}"),
            ("templates/cm.yaml", "v: x\n"));

        var e = Assert.Throws<ValuesException>(() => Render(chart, "replicas: many\n"));

        Assert.StartsWith("values don't meet the specifications of the schema(s) in the following chart(s):\napp:\n- at '/replicas': ", e.Message, StringComparison.Ordinal);
        Assert.Equal("v: x\n", Render(chart, "replicas: 2\n").Split('\n', 3)[2]);
    }

    [Fact]
    public void RequiredAndFailReadAsHelmPrintsThem()
    {
        var chart = Load(("Chart.yaml", ChartYaml), ("templates/cm.yaml", "a: b\nname: {{ required \"name is required\" .Values.name }}\n"));

        var e = Assert.Throws<RenderException>(() => Render(chart));

        Assert.Equal("execution error at (app/templates/cm.yaml:2:9): name is required", e.Message);
    }

    [Fact]
    public void ParseErrorsNameTheTemplateAndLine()
    {
        var chart = Load(("Chart.yaml", ChartYaml), ("templates/cm.yaml", "a: b\n{{ if }}\n"));

        var e = Assert.Throws<RenderException>(() => Render(chart));

        Assert.StartsWith("parse error at (app/templates/cm.yaml:2): ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecursiveTemplatesEndWithAnError()
    {
        var chart = Load(("Chart.yaml", ChartYaml), ("templates/_h.tpl", "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}"), ("templates/cm.yaml", "{{ include \"loop\" . }}\n"));

        var e = Assert.Throws<RenderException>(() => Render(chart));

        Assert.StartsWith("rendering template failed: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LibraryChartsAreNotInstallable()
    {
        var chart = Load(("Chart.yaml", ChartYaml + "type: library\n"), ("templates/_h.tpl", ""));

        var e = Assert.Throws<ChartException>(() => Render(chart));

        Assert.Equal("library charts are not installable", e.Message);
    }

    [Fact]
    public void MissingDependenciesAreNamed()
    {
        var chart = Load(("Chart.yaml", ChartYaml + "dependencies:\n- name: absent\n  version: 1.0.0\n"));

        var e = Assert.Throws<ChartException>(() => Render(chart));

        Assert.EndsWith("found in Chart.yaml, but missing in charts/ directory: absent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeVersionConstraintIsChecked()
    {
        var chart = Load(("Chart.yaml", ChartYaml + "kubeVersion: '>=1.40.0-0'\n"), ("templates/cm.yaml", "v: x\n"));

        var e = Assert.Throws<ChartException>(() => Render(chart));

        Assert.Equal($"chart requires kubeVersion: >=1.40.0-0 which is incompatible with Kubernetes {Capabilities.DefaultKubeVersion}", e.Message);
    }

    [Fact]
    public void ArchivesWithTraversalAreRefusedAndWriteNothingOutside()
    {
        var dir = Directory.CreateTempSubdirectory("weir-helm-archive-").FullName;
        try
        {
            var archive = Path.Combine(dir, "evil.tgz");
            using (var file = File.Create(archive))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            using (var tar = new TarWriter(gzip))
            {
                Add(tar, "app/Chart.yaml", ChartYaml);
                Add(tar, "app/../../escaped.txt", "owned");
            }

            Assert.ThrowsAny<ChartException>(() => new ChartLoader().Load(archive));
            Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped.txt")));
            Assert.Equal(["evil.tgz"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void YamlAliasBombsInValuesEndWithAnError()
    {
        var bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (var i = 1; i < 12; i++)
        {
            bomb.Append($"a{i}: &a{i} [*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))},*a{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}]\n");
        }

        Assert.Throws<ValuesException>(() => ValuesReader.Read(bomb.ToString()));
    }

    private static void Add(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        tar.WriteEntry(entry);
    }
}
