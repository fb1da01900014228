using System.Text;
using Weir.Helm.Charts;
using Weir.Helm.Manifests;
using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>What to render: the release, the cluster's capabilities, and Helm's options that change the output.</summary>
public sealed record RenderRequest(ReleaseOptions Release)
{
    public Capabilities Capabilities { get; init; } = Capabilities.Default;

    public bool IncludeCrds { get; init; }

    /// <summary>Render subcharts' NOTES.txt too.</summary>
    public bool SubNotes { get; init; }

    public bool SkipSchemaValidation { get; init; }

    public RenderSettings Settings { get; init; } = new();

    /// <summary>Post-renders the rendered documents before they are sorted; null leaves them as rendered.</summary>
    public IPostRenderer? PostRenderer { get; init; }

    public PostRenderStrategy PostRenderStrategy { get; init; } = PostRenderStrategy.Combined;
}

/// <summary>A rendered release: the manifest document Helm stores, its hooks, notes, and the pieces it was made of.</summary>
public sealed record RenderedRelease(
    string Manifest,
    IReadOnlyList<Manifest> Manifests,
    IReadOnlyList<Hook> Hooks,
    IReadOnlyList<(string Filename, ChartFile File)> Crds,
    string Notes,
    GoMap Values,
    Chart Chart);

/// <summary>
/// Helm's install-time rendering, in its order: dependencies processed for the values, values validated against the
/// schemas and coalesced, <c>kubeVersion</c> checked, templates rendered, NOTES.txt taken out, documents sorted into
/// hooks and manifests (post-rendered first when a post-renderer is given), and the manifest document assembled (CRDs first when asked).
/// </summary>
public sealed class ReleaseRenderer
{
    private const string NotesFile = "NOTES.txt";

    /// <summary>Helm's checks before installing: an installable chart type and every declared dependency present.</summary>
    /// <exception cref="ChartException">The chart cannot be installed.</exception>
    public static void CheckInstallable(Chart chart)
    {
        if (chart.Metadata.Type is not ("" or "application"))
        {
            throw new ChartException($"{chart.Metadata.Type} charts are not installable");
        }

        DependencyProcessor.CheckPresent(chart);
    }

    /// <exception cref="ChartException">The chart's dependencies or kubeVersion do not fit.</exception>
    /// <exception cref="ValuesException">The values cannot be combined or break a schema.</exception>
    /// <exception cref="RenderException">A template failed, or a document is not YAML.</exception>
    public RenderedRelease Render(Chart chart, GoMap userValues, RenderRequest request)
    {
        var processed = DependencyProcessor.Process(chart, userValues);
        var values = ValuesCoalescer.Coalesce(processed, userValues);
        if (!request.SkipSchemaValidation)
        {
            SchemaValidator.Validate(processed, values);
        }

        var kube = request.Capabilities.KubeVersion;
        if (processed.Metadata.KubeVersion.Length > 0 && !DependencyProcessor.IsCompatibleRange(processed.Metadata.KubeVersion, kube.Normalized))
        {
            throw new ChartException($"chart requires kubeVersion: {processed.Metadata.KubeVersion} which is incompatible with Kubernetes {kube.Version}");
        }

        var files = new TemplateRenderer(request.Settings).Render(processed, values, request.Release, request.Capabilities);
        var notes = new StringBuilder();
        var rootNotes = processed.Name + "/templates/" + NotesFile;
        foreach (var name in files.Keys.Where(k => k.EndsWith(NotesFile, StringComparison.Ordinal)).ToList())
        {
            if (request.SubNotes || name == rootNotes)
            {
                if (notes.Length > 0)
                {
                    notes.Append('\n');
                }

                notes.Append(files[name]);
            }

            files.Remove(name);
        }

        IReadOnlyDictionary<string, string> toSort = request.PostRenderer is { } postRenderer
            ? PostRendering.Apply(files, postRenderer, request.PostRenderStrategy)
            : files;
        SortedManifests sorted;
        try
        {
            sorted = ManifestSorter.Sort(toSort, KindOrder.Install);
        }
        catch (RenderException e)
        {
            throw new RenderException(e.Message + "\n\nUse --debug flag to render out invalid YAML", e);
        }

        var crds = request.IncludeCrds ? processed.CrdObjects().ToList() : [];
        var manifest = new StringBuilder();
        foreach (var (filename, file) in crds)
        {
            manifest.Append("---\n# Source: ").Append(filename).Append('\n').Append(Encoding.UTF8.GetString(file.Data)).Append('\n');
        }

        foreach (var m in sorted.Manifests)
        {
            manifest.Append("---\n# Source: ").Append(m.Name).Append('\n').Append(m.Content).Append('\n');
        }

        return new RenderedRelease(manifest.ToString(), sorted.Manifests, sorted.Hooks, crds, notes.ToString(), values, processed);
    }
}
