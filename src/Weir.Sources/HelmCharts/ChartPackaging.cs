using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Versioning;
using Weir.Core.Yaml;
using Weir.Helm.Charts;
using Weir.Helm.Values;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Sources.HelmCharts;

/// <summary>
/// The steps source-controller's chart builders share: load a chart archive through Helm's safe loader (limits, no
/// path leaves the chart), patch the version's build metadata, lay values files over each other into the chart's
/// <c>values.yaml</c>, and write the package with Helm's packager.
/// </summary>
public static class ChartPackaging
{
    /// <summary>Loads a <c>.tgz</c>; a hostile or broken archive is a package error naming the cause.</summary>
    public static Chart LoadArchive(byte[] archive, string what)
    {
        try
        {
            return new ChartLoader().LoadArchive(new MemoryStream(archive, writable: false), what);
        }
        catch (Exception e) when (e is ChartException or InvalidDataException or IOException or FormatException)
        {
            throw ChartBuildErrorReason.Package.Failure($"failed to load {what} chart: {e.Message}", e);
        }
    }

    /// <summary>Masterminds' SetMetadata: <paramref name="version"/> with its build metadata replaced.</summary>
    public static string WithMetadata(string version, string metadata)
    {
        if (!LooseVersion.TryParse(version, out var parsed, out var error))
        {
            throw ChartBuildErrorReason.MetadataPatch.Failure($"failed to parse version from chart metadata as SemVer: {error}");
        }

        var core = $"{parsed.Major}.{parsed.Minor}.{parsed.Patch}" + (parsed.IsPrerelease ? "-" + parsed.Prerelease : "");
        var patched = $"{core}+{metadata}";
        return LooseVersion.TryParse(patched, out _, out _)
            ? patched
            : throw ChartBuildErrorReason.MetadataPatch.Failure("failed to set SemVer metadata on chart version: Invalid Metadata string");
    }

    /// <summary>Merges values files in order (Helm's MergeMaps, later files win); each is read by <paramref name="read"/>.</summary>
    public static (GoMap Values, List<string> Files) MergeValues(IReadOnlyList<string> paths, Func<string, byte[]?> read, bool ignoreMissing,
        Func<string, string> missingMessage)
    {
        var merged = new GoMap();
        var files = new List<string>();
        foreach (var path in paths)
        {
            var data = read(path);
            if (data is null)
            {
                if (ignoreMissing)
                {
                    continue;
                }

                throw ChartBuildErrorReason.ValuesFiles.Failure(missingMessage(path));
            }

            try
            {
                merged = ValuesReader.Merge(merged, ValuesReader.Read(data));
            }
            catch (ValuesException e)
            {
                throw ChartBuildErrorReason.ValuesFiles.Failure($"unmarshaling values from '{path}' failed: {e.Message}");
            }

            files.Add(path);
        }

        return (merged, files);
    }

    /// <summary>
    /// Packages <paramref name="chart"/> at <paramref name="version"/>, its <c>values.yaml</c> replaced by
    /// <paramref name="values"/> when given; returns the archive and whether the values changed.
    /// </summary>
    public static (byte[] Archive, bool ValuesChanged) Package(Chart chart, string version, GoMap? values)
    {
        var (packaged, changed) = WithValues(chart, values);
        return (Write(packaged, version), changed);
    }

    /// <summary>
    /// <paramref name="chart"/> with its <c>values.yaml</c> replaced by <paramref name="values"/> when given, and whether
    /// that changed it (Flux's OverwriteChartDefaultValues: a chart without values.yaml cannot take merged values).
    /// </summary>
    public static (Chart Chart, bool ValuesChanged) WithValues(Chart chart, GoMap? values)
    {
        if (values is null)
        {
            return (chart, false);
        }

        var files = chart.Raw.ToList();
        var index = files.FindIndex(f => f.Name == "values.yaml");
        if (index < 0)
        {
            throw ChartBuildErrorReason.ValuesFiles.Failure("failed to locate values file: values.yaml");
        }

        var yaml = values.Count == 0 ? [] : Encoding.UTF8.GetBytes(KubeYaml.Serialize(JsonNode.Parse(GoJson.Marshal(Value.Map(values)))));
        if (yaml.AsSpan().SequenceEqual(files[index].Data))
        {
            return (chart, false);
        }

        files[index] = files[index] with { Data = yaml };
        try
        {
            return (new ChartLoader().LoadFiles(files), true);
        }
        catch (ChartException e)
        {
            throw ChartBuildErrorReason.Package.Failure(e.Message, e);
        }
    }

    /// <summary>Writes <paramref name="chart"/> at <paramref name="version"/> with Helm's packager.</summary>
    public static byte[] Write(Chart chart, string version)
    {
        try
        {
            chart.Metadata.Version = version;
            using var output = new MemoryStream();
            ChartPackager.Write(chart, output);
            return output.ToArray();
        }
        catch (ChartException e)
        {
            throw ChartBuildErrorReason.Package.Failure(e.Message, e);
        }
    }
}
