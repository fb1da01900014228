using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Helm.Values;

namespace Weir.Helm.Charts;

/// <summary>
/// Loads a chart from a directory, a <c>.tgz</c> archive or files in memory, as Helm's loader does: Chart.yaml,
/// Chart.lock, values.yaml, values.schema.json, requirements.yaml/lock (v1), templates/, charts/ (directories and
/// archives, recursively), everything else as files. Directories and archives are read through
/// <see cref="ChartDirectoryReader"/> and <see cref="ChartArchiveReader"/>, which keep every read inside the chart.
/// </summary>
public sealed class ChartLoader
{
    private readonly ChartLoadLimits limits;

    public ChartLoader(ChartLoadLimits? limits = null) => this.limits = limits ?? ChartLoadLimits.Default;

    /// <summary>Loads a directory or an archive, whichever <paramref name="path"/> is.</summary>
    /// <exception cref="ChartException">The chart is missing, unreadable or invalid.</exception>
    public Chart Load(string path)
    {
        if (Directory.Exists(path))
        {
            return LoadDirectory(path);
        }

        if (!File.Exists(path))
        {
            throw new ChartException($"path {ChartMetadata.Quote(path)} not found");
        }

        return LoadArchive(path);
    }

    public Chart LoadDirectory(string directory)
    {
        var top = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(top, "Chart.yaml")))
        {
            throw new ChartException($"Chart.yaml file is missing");
        }

        return LoadFiles(new ChartDirectoryReader(limits).Read(top), 0);
    }

    public Chart LoadArchive(string file)
    {
        using var stream = File.OpenRead(file);
        return LoadArchive(stream, file);
    }

    /// <summary>Loads a gzipped tar stream; <paramref name="name"/> is only used in messages.</summary>
    public Chart LoadArchive(Stream stream, string name = "stream") => LoadFiles(ChartArchiveReader.Read(stream, name, limits), 0);

    /// <summary>Builds a chart from its files (names relative to the chart directory).</summary>
    public Chart LoadFiles(IReadOnlyList<ChartFile> files) => LoadFiles(files, 0);

    private Chart LoadFiles(IReadOnlyList<ChartFile> files, int depth)
    {
        if (depth > limits.MaxSubchartDepth)
        {
            throw new ChartException($"subcharts are nested more than {limits.MaxSubchartDepth} levels deep");
        }

        ChartMetadata? metadata = null;
        foreach (var f in files.Where(f => f.Name == "Chart.yaml"))
        {
            metadata ??= new ChartMetadata();
            ReadYaml(f, "Chart.yaml", metadata.ReadFrom);
            if (metadata.ApiVersion.Length == 0)
            {
                metadata.ApiVersion = ChartMetadata.ApiVersionV1;
            }
        }

        ChartLock? lockFile = null;
        Weir.Templates.Values.GoMap? values = null;
        byte[]? schema = null;
        var templates = new List<ChartFile>();
        var other = new List<ChartFile>();
        var subcharts = new SortedDictionary<string, List<ChartFile>>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            switch (f.Name)
            {
                case "Chart.yaml":
                    continue;
                case "Chart.lock":
                    ReadYaml(f, "Chart.lock", doc => lockFile = ChartLock.Read(doc, "Chart.lock"));
                    break;
                case "values.yaml":
                    try
                    {
                        values = ValuesReader.Read(f.Data);
                    }
                    catch (ValuesException e)
                    {
                        throw new ChartException("cannot load values.yaml: " + e.Message, e);
                    }

                    break;
                case "values.schema.json":
                    schema = f.Data;
                    break;
                case "requirements.yaml":
                    metadata ??= new ChartMetadata();
                    ReadYaml(f, "requirements.yaml", metadata.ReadFrom);
                    if (metadata.ApiVersion == ChartMetadata.ApiVersionV1)
                    {
                        other.Add(f);
                    }

                    break;
                case "requirements.lock":
                    ReadYaml(f, "requirements.lock", doc => lockFile = ChartLock.Read(doc, "requirements.lock"));
                    metadata ??= new ChartMetadata();
                    if (metadata.ApiVersion == ChartMetadata.ApiVersionV1)
                    {
                        other.Add(f);
                    }

                    break;
                default:
                    if (f.Name.StartsWith("templates/", StringComparison.Ordinal))
                    {
                        templates.Add(f);
                    }
                    else if (f.Name.StartsWith("charts/", StringComparison.Ordinal))
                    {
                        if (Path.GetExtension(f.Name) == ".prov")
                        {
                            other.Add(f);
                            break;
                        }

                        var rest = f.Name["charts/".Length..];
                        var slash = rest.IndexOf('/');
                        var chartName = slash < 0 ? rest : rest[..slash];
                        if (!subcharts.TryGetValue(chartName, out var list))
                        {
                            subcharts[chartName] = list = [];
                        }

                        list.Add(f with { Name = rest });
                    }
                    else
                    {
                        other.Add(f);
                    }

                    break;
            }
        }

        if (metadata is null)
        {
            throw new ChartException("Chart.yaml file is missing");
        }

        metadata.Validate();
        var chart = new Chart(metadata)
        {
            Lock = lockFile,
            Raw = files,
            Templates = templates,
            Values = values ?? new Weir.Templates.Values.GoMap(),
            Schema = schema,
            Files = other,
        };

        var dependencies = new List<Chart>();
        foreach (var (name, subFiles) in subcharts)
        {
            if (name.Length > 0 && name[0] is '_' or '.')
            {
                continue;
            }

            try
            {
                dependencies.Add(LoadSubchart(name, subFiles, depth));
            }
            catch (ChartException e)
            {
                throw new ChartException($"error unpacking subchart {name} in {metadata.Name}: {e.Message}", e);
            }
        }

        chart.SetDependencies(dependencies);
        return chart;
    }

    private Chart LoadSubchart(string name, List<ChartFile> files, int depth)
    {
        if (Path.GetExtension(name) == ".tgz")
        {
            var file = files[0];
            if (file.Name != name)
            {
                throw new ChartException($"error unpacking subchart tar in {name}: expected {name}, got {file.Name}");
            }

            using var stream = new MemoryStream(file.Data, writable: false);
            return LoadFiles(ChartArchiveReader.Read(stream, name, limits), depth + 1);
        }

        var inner = new List<ChartFile>(files.Count);
        foreach (var f in files)
        {
            var slash = f.Name.IndexOf('/');
            if (slash >= 0)
            {
                inner.Add(f with { Name = f.Name[(slash + 1)..] });
            }
        }

        return LoadFiles(inner, depth + 1);
    }

    private static void ReadYaml(ChartFile file, string label, Action<JsonNode?> read)
    {
        try
        {
            JsonNode? document;
            try
            {
                document = KubeYaml.ParseFirst(ValuesReader.DecodeText(file.Data));
            }
            catch (YamlException e)
            {
                throw new ChartException("error converting YAML to JSON: " + e.Message, e);
            }

            read(document);
        }
        catch (ChartException e) when (!e.Message.StartsWith("cannot load ", StringComparison.Ordinal))
        {
            throw new ChartException($"cannot load {label}: {e.Message}", e);
        }
    }
}
