using System.Text;
using System.Text.RegularExpressions;
using Weir.Core.Files;
using Weir.Helm.Charts;
using Weir.Helm.Manifests;
using Weir.Helm.Rendering;
using Weir.Templates.Values;

namespace Weir.Helm.Actions;

/// <summary>The options of <c>helm template</c> that shape its output.</summary>
public sealed record TemplateOptions(ReleaseOptions Release)
{
    public Capabilities Capabilities { get; init; } = Capabilities.Default;

    public bool IncludeCrds { get; init; }

    public bool SkipTests { get; init; }

    public bool DisableHooks { get; init; }

    /// <summary>Templates to show (Go path patterns against <c>templates/…</c> paths); empty shows everything.</summary>
    public IReadOnlyList<string> ShowOnly { get; init; } = [];

    /// <summary>Write files (as <c>--output-dir</c>) instead of one stream.</summary>
    public bool ToFiles { get; init; }

    /// <summary>With <see cref="ToFiles"/>, put the files under a directory named after the release.</summary>
    public bool UseReleaseName { get; init; }
}

/// <summary>The output of <c>helm template</c>: the stream it prints, or the files <c>--output-dir</c> writes (relative paths, in order).</summary>
public sealed record TemplateResult(string Output, IReadOnlyList<KeyValuePair<string, string>> Files);

/// <summary><c>helm template</c>: renders a chart as an install would, without a cluster, and prints or writes the documents.</summary>
public static partial class TemplateAction
{
    /// <exception cref="ChartException">The chart cannot be installed or rendered.</exception>
    /// <exception cref="Values.ValuesException">The values are invalid.</exception>
    /// <exception cref="RenderException">A template failed.</exception>
    public static TemplateResult Run(Chart chart, GoMap values, TemplateOptions options)
    {
        ReleaseRenderer.CheckInstallable(chart);
        var rendered = new ReleaseRenderer().Render(chart, values, new RenderRequest(options.Release)
        {
            Capabilities = options.Capabilities,
            IncludeCrds = options.IncludeCrds,
        });

        if (options.ToFiles)
        {
            return new TemplateResult("", WriteFiles(rendered, options));
        }

        var output = new StringBuilder();
        output.Append(rendered.Manifest.Trim()).Append('\n');
        if (!options.DisableHooks)
        {
            foreach (var h in rendered.Hooks)
            {
                if (options.SkipTests && h.IsTest)
                {
                    continue;
                }

                output.Append("---\n# Source: ").Append(h.Path).Append('\n').Append(h.Manifest).Append('\n');
            }
        }

        return new TemplateResult(options.ShowOnly.Count > 0 ? ShowOnly(output.ToString(), options.ShowOnly) : output.ToString(), []);
    }

    private static string ShowOnly(string all, IReadOnlyList<string> patterns)
    {
        var docs = ManifestSorter.Split(all);
        var result = new StringBuilder();
        foreach (var pattern in patterns)
        {
            var missing = true;
            foreach (var doc in docs)
            {
                var m = SourceLine().Match(doc);
                if (!m.Success || !Matches(pattern.Replace('\\', '/'), m.Groups[1].Value))
                {
                    continue;
                }

                result.Append("---\n").Append(doc).Append('\n');
                missing = false;
            }

            if (missing)
            {
                throw new ChartException($"could not find template {pattern} in chart");
            }
        }

        return result.ToString();
    }

    private static bool Matches(string pattern, string path)
    {
        try
        {
            return GoPathMatch.IsMatch(pattern, path);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static List<KeyValuePair<string, string>> WriteFiles(RenderedRelease rendered, TemplateOptions options)
    {
        var files = new List<KeyValuePair<string, string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        void Write(string directory, string name, string data)
        {
            var path = directory.Length == 0 ? name : directory + "/" + name;
            var text = $"---\n# Source: {name}\n{data}\n";
            if (index.TryGetValue(path, out var i))
            {
                files[i] = new(path, files[i].Value + text);
            }
            else
            {
                index[path] = files.Count;
                files.Add(new(path, text));
            }
        }

        foreach (var (filename, file) in rendered.Crds)
        {
            Write("", filename, Encoding.UTF8.GetString(file.Data));
        }

        var directory = options.UseReleaseName ? options.Release.Name : "";
        foreach (var m in rendered.Manifests)
        {
            Write(directory, m.Name, m.Content);
        }

        if (!options.DisableHooks)
        {
            foreach (var h in rendered.Hooks)
            {
                if (!(options.SkipTests && h.IsTest))
                {
                    Write(directory, h.Path, h.Manifest);
                }
            }
        }

        return files;
    }

    [GeneratedRegex("# Source: [^/]+/(.+)")]
    private static partial Regex SourceLine();
}
