using Weir.Templates.Values;

namespace Weir.Helm.Charts;

/// <summary>
/// A loaded chart: metadata, templates, default values, schema, other files, and its subcharts. Loading never
/// changes it afterwards; processing dependencies for a release works on a copy (<see cref="CopyTree"/>).
/// </summary>
public sealed class Chart
{
    private List<Chart> dependencies = [];

    public Chart(ChartMetadata metadata) => Metadata = metadata;

    public ChartMetadata Metadata { get; private set; }

    public ChartLock? Lock { get; init; }

    /// <summary>Every file as loaded, in load order.</summary>
    public IReadOnlyList<ChartFile> Raw { get; init; } = [];

    /// <summary>Files under <c>templates/</c>.</summary>
    public IReadOnlyList<ChartFile> Templates { get; init; } = [];

    /// <summary>The chart's default values (values.yaml); never null.</summary>
    public GoMap Values { get; internal set; } = new();

    /// <summary>values.schema.json, when present.</summary>
    public byte[]? Schema { get; init; }

    /// <summary>Files that are neither templates, values, Chart.yaml nor subcharts: what <c>.Files</c> offers.</summary>
    public IReadOnlyList<ChartFile> Files { get; init; } = [];

    public Chart? Parent { get; private set; }

    public IReadOnlyList<Chart> Dependencies => dependencies;

    public string Name => Metadata.Name;

    public bool IsRoot => Parent is null;

    public bool IsLibrary => Metadata.IsLibrary;

    /// <summary>Dotted path from the root (<c>parent.child</c>).</summary>
    public string ChartPath => IsRoot ? Name : Parent!.ChartPath + "." + Name;

    /// <summary>Path from the root as template names use it (<c>parent/charts/child</c>).</summary>
    public string ChartFullPath => IsRoot ? Name : Parent!.ChartFullPath + "/charts/" + Name;

    internal void SetDependencies(IEnumerable<Chart> charts)
    {
        dependencies = [];
        foreach (var c in charts)
        {
            c.Parent = this;
            dependencies.Add(c);
        }
    }

    /// <summary>The CRD files of this chart and its subcharts (<c>crds/*.yaml|yml|json</c>), with their names from the root.</summary>
    public IEnumerable<(string Filename, ChartFile File)> CrdObjects()
    {
        foreach (var f in Files)
        {
            if (f.Name.StartsWith("crds/", StringComparison.Ordinal) && HasManifestExtension(f.Name))
            {
                yield return (ChartFullPath + "/" + f.Name, f);
            }
        }

        foreach (var d in dependencies)
        {
            foreach (var crd in d.CrdObjects())
            {
                yield return crd;
            }
        }
    }

    /// <summary>
    /// A copy of the chart tree whose metadata, values and dependency lists can change without touching this one
    /// (files and templates are shared: nothing changes them).
    /// </summary>
    public Chart CopyTree()
    {
        var copy = ShallowCopy();
        copy.SetDependencies(dependencies.Select(d => d.CopyTree()));
        return copy;
    }

    /// <summary>A copy with its own metadata; its dependency list holds the same charts until set again.</summary>
    internal Chart ShallowCopy()
    {
        var copy = (Chart)MemberwiseClone();
        copy.Metadata = Metadata.Copy();
        copy.Parent = null;
        copy.dependencies = [.. dependencies];
        return copy;
    }

    internal void Rename(string name) => Metadata.Name = name;

    private static bool HasManifestExtension(string name)
    {
        var ext = Path.GetExtension(name);
        return ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yml", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".json", StringComparison.OrdinalIgnoreCase);
    }
}
