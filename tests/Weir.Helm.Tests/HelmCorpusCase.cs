using System.Text.Json.Nodes;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Rendering;
using Weir.Helm.Values;

namespace Weir.Helm.Tests;

/// <summary>One case of the Helm corpus: its <c>helm template</c> command line, read into Weir.Helm's options, and how to compare.</summary>
public sealed class HelmCorpusCase
{
    // helm/helm's own tests run with the test build's default Kubernetes version (testing.Testing() in capabilities.go).
    private const string HelmTestBuildKubeVersion = "v1.20.0";

    private HelmCorpusCase(string name, JsonObject meta)
    {
        Name = name;
        Directory = Path.Combine(Root, name);
        Meta = meta;
    }

    public static string Root => Path.Combine(TestPaths.Corpus, "helm");

    public string Name { get; }

    public string Directory { get; }

    public JsonObject Meta { get; }

    public bool ExpectError => (string?)Meta["expect"] == "error";

    public string Compare => (string?)Meta["compare"] ?? (Name.StartsWith("otel-", StringComparison.Ordinal) ? "otel" : "exact");

    public bool ToFiles => Args.Contains("--output-dir");

    /// <summary>
    /// A golden from Helm before 4.2 (3.x, 4.0, 4.1, or a source that never kept the newline), which trimmed each
    /// template's trailing whitespace. Only helm/helm's own goldens and kubermatic's come from Helm 4.2.
    /// </summary>
    public bool OlderHelm => !Name.StartsWith("helm-cmd-template/", StringComparison.Ordinal) && !Name.StartsWith("kubermatic/", StringComparison.Ordinal);

    /// <summary>
    /// A golden from Helm 4.2.0–4.2.3, whose separator also swallowed the whitespace before a <c>---</c> inside a template
    /// (Helm 4.2.4 keeps it, "Fix vanishing empty lines"; helm/helm's goldens at the corpus commit show the 4.2.4 form).
    /// </summary>
    public bool EarlyHelm42 => Name.StartsWith("kubermatic/", StringComparison.Ordinal);

    public IReadOnlyList<string> Args => Meta["command"]!.AsArray().Skip(2).Select(n => n!.GetValue<string>()).ToList();

    public static IEnumerable<string> Names()
    {
        foreach (var line in File.ReadLines(Path.Combine(Root, "index.jsonl")))
        {
            yield return JsonNode.Parse(line)!["case"]!.GetValue<string>();
        }
    }

    public static HelmCorpusCase Load(string name) =>
        new(name, JsonNode.Parse(File.ReadAllText(Path.Combine(Root, name, "case.json")))!.AsObject());

    /// <summary>Runs the case's command through Weir.Helm as <c>helm template</c> would.</summary>
    /// <exception cref="Exception">Whatever the chart, values or render failed with.</exception>
    public TemplateResult Run()
    {
        var positional = new List<string>();
        var values = new ValueOptions();
        string ns = "default";
        string? kubeVersion = null;
        var apiVersions = new List<string>();
        var showOnly = new List<string>();
        bool includeCrds = false, skipTests = false, isUpgrade = false, toFiles = false;
        var args = Args;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => args[++i];
            switch (a)
            {
                case "--namespace" or "-n": ns = Next(); break;
                case "--values" or "-f": values = values with { ValueFiles = [.. values.ValueFiles, Next()] }; break;
                case "--set": values = values with { Values = [.. values.Values, Next()] }; break;
                case "--set-string": values = values with { StringValues = [.. values.StringValues, Next()] }; break;
                case "--set-json": values = values with { JsonValues = [.. values.JsonValues, Next()] }; break;
                case "--set-file": values = values with { FileValues = [.. values.FileValues, Next()] }; break;
                case "--kube-version": kubeVersion = Next(); break;
                case "--api-versions" or "-a": apiVersions.AddRange(Next().Split(',')); break;
                case "--show-only" or "-s": showOnly.Add(Next()); break;
                case "--output-dir": Next(); toFiles = true; break;
                case "--include-crds": includeCrds = true; break;
                case "--skip-tests": skipTests = true; break;
                case "--is-upgrade": isUpgrade = true; break;
                case "--debug": break;
                default:
                    if (a.StartsWith('-'))
                    {
                        throw new InvalidOperationException("flag not handled by the corpus runner: " + a);
                    }

                    positional.Add(a);
                    break;
            }
        }

        if (positional.Count == 0)
        {
            throw new ArgumentException("\"helm template\" requires at least 1 argument");
        }

        var (release, chartPath) = positional.Count == 1 ? ("release-name", positional[0]) : (positional[0], positional[1]);
        var chart = new ChartLoader().Load(Path.Combine(Directory, chartPath));
        var defaultKube = Name.StartsWith("helm-cmd-template/", StringComparison.Ordinal) ? HelmTestBuildKubeVersion : Capabilities.DefaultKubeVersion;
        var capabilities = new Capabilities { KubeVersion = KubeVersion.Parse(kubeVersion ?? defaultKube) }.WithExtraApiVersions(apiVersions);
        return TemplateAction.Run(chart, values.Merge(Directory), new TemplateOptions(new ReleaseOptions(release, ns) { IsInstall = !isUpgrade, IsUpgrade = isUpgrade })
        {
            Capabilities = capabilities,
            IncludeCrds = includeCrds,
            SkipTests = skipTests,
            ShowOnly = showOnly,
            ToFiles = toFiles,
        });
    }
}
