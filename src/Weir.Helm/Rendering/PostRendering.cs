using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Helm.Manifests;

namespace Weir.Helm.Rendering;

/// <summary>
/// Helm 4's post-render step over the rendered files: the documents of every file (partials and blank files left out)
/// joined into one stream, each marked with the file it came from; the stream post-rendered; the result split back
/// into files by that mark (a document without one becomes <c>generated-by-postrender[-GROUP]-N.yaml</c>). With
/// <see cref="PostRenderStrategy.Separate"/> hooks and resources go through as two streams, with
/// <see cref="PostRenderStrategy.NoHooks"/> only the resources do.
/// </summary>
internal static class PostRendering
{
    public const string FilenameAnnotation = "postrenderer.helm.sh/postrender-filename";

    /// <exception cref="RenderException">A file cannot be read, the post-renderer fails, or its output is not YAML.</exception>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> files, IPostRenderer renderer, PostRenderStrategy strategy)
    {
        if (strategy == PostRenderStrategy.Combined)
        {
            var merged = Merge(files, "error merging manifests");
            var output = Run(renderer, merged, "error while running post render on files");
            return Split(output, "", "error while parsing post rendered output");
        }

        var sorted = ManifestSorter.Sort(files, KindOrder.Install);
        var groups = new (string Name, Dictionary<string, string> Files, bool PostRender)[]
        {
            ("hooks", Join(sorted.Hooks.Select(h => (h.Path, h.Manifest))), strategy == PostRenderStrategy.Separate),
            ("manifests", Join(sorted.Manifests.Select(m => (m.Name, m.Content))), true),
        };
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, groupFiles, postRender) in groups)
        {
            if (groupFiles.Count == 0)
            {
                continue;
            }

            var rendered = groupFiles;
            if (postRender)
            {
                var merged = Merge(groupFiles, $"error merging {name}");
                var output = Run(renderer, merged, $"error while running post render on {name}");
                rendered = Split(output, name, $"error while parsing post rendered output for {name}");
            }

            foreach (var (file, content) in rendered)
            {
                result[file] = result.TryGetValue(file, out var existing) ? existing + "\n---\n" + content : content;
            }
        }

        return result;
    }

    private static Dictionary<string, string> Join(IEnumerable<(string File, string Content)> docs)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, content) in docs)
        {
            files[file] = files.TryGetValue(file, out var existing) ? existing + "\n---\n" + content : content;
        }

        return files;
    }

    private static string Merge(IReadOnlyDictionary<string, string> files, string error)
    {
        var docs = new List<JsonNode?>();
        foreach (var name in files.Keys.Order(StringComparer.Ordinal))
        {
            var content = files[name];
            if (Path.GetFileName(name).StartsWith('_') || string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            foreach (var doc in ManifestSorter.Split(content))
            {
                IReadOnlyList<JsonNode?> parsed;
                try
                {
                    parsed = KubeYaml.ParseAll(doc);
                }
                catch (YamlException e)
                {
                    throw new RenderException($"{error}: parsing {name}: {e.Message}", e);
                }

                foreach (var node in parsed)
                {
                    if (node is JsonObject obj)
                    {
                        obj.SetAnnotation(FilenameAnnotation, name);
                        docs.Add(obj);
                    }
                }
            }
        }

        return KubeYaml.SerializeAll(docs);
    }

    private static string Run(IPostRenderer renderer, string merged, string error)
    {
        try
        {
            return renderer.Run(merged);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RenderException($"{error}: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> Split(string output, string group, string error)
    {
        IReadOnlyList<JsonNode?> docs;
        try
        {
            docs = KubeYaml.ParseAll(output);
        }
        catch (YamlException e)
        {
            throw new RenderException($"{error}: error parsing YAML: {e.Message}", e);
        }

        var byFile = new Dictionary<string, List<JsonNode?>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < docs.Count; i++)
        {
            if (docs[i] is not JsonObject obj)
            {
                continue;
            }

            var name = obj.Annotations().GetValueOrDefault(FilenameAnnotation) is { Length: > 0 } file
                ? file
                : group.Length == 0 ? $"generated-by-postrender-{i}.yaml" : $"generated-by-postrender-{group}-{i}.yaml";
            RemoveAnnotation(obj);
            if (!byFile.TryGetValue(name, out var list))
            {
                byFile[name] = list = [];
                order.Add(name);
            }

            list.Add(obj);
        }

        return order.ToDictionary(name => name, name => KubeYaml.SerializeAll(byFile[name]), StringComparer.Ordinal);
    }

    private static void RemoveAnnotation(JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is JsonObject annotations)
        {
            annotations.Remove(FilenameAnnotation);
            if (annotations.Count == 0)
            {
                ((JsonObject)obj["metadata"]!).Remove("annotations");
            }
        }
    }
}
