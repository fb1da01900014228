using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Yaml;
using Weir.Helm.Rendering;

namespace Weir.Helm.Manifests;

/// <summary>Rendered templates split into documents, separated into hooks and plain manifests, each sorted by kind.</summary>
public sealed record SortedManifests(IReadOnlyList<Hook> Hooks, IReadOnlyList<Manifest> Manifests);

/// <summary>
/// Helm's manifest sorter: template files in name order (partials and blank files skipped), each split on <c>---</c>
/// lines, each document's head read; a document annotated <c>helm.sh/hook</c> with known events is a hook, one with
/// unknown events is dropped, the rest are manifests. Both lists are then sorted stably by kind.
/// </summary>
public static partial class ManifestSorter
{
    /// <exception cref="RenderException">A document is not valid YAML (<c>YAML parse error on FILE: …</c>).</exception>
    public static SortedManifests Sort(IReadOnlyDictionary<string, string> files, IReadOnlyList<string> order)
    {
        var hooks = new List<Hook>();
        var manifests = new List<Manifest>();
        foreach (var path in files.Keys.Order(StringComparer.Ordinal))
        {
            var content = files[path];
            if (Path.GetFileName(path).StartsWith('_') || string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            foreach (var doc in Split(content))
            {
                var head = ReadHead(path, doc);
                if (head.Annotations is not { Count: > 0 } annotations || !annotations.TryGetValue(Hook.Annotation, out var hookTypes))
                {
                    manifests.Add(new Manifest(path, doc, head.Kind, head.Name));
                    continue;
                }

                var events = hookTypes.Split(',').Select(t => t.Trim().ToLowerInvariant()).ToList();
                if (events.Any(e => !Hook.Events.Contains(e)))
                {
                    continue;
                }

                hooks.Add(new Hook
                {
                    Name = head.Name,
                    Kind = head.Kind,
                    Path = path,
                    Manifest = doc,
                    HookEvents = events.Select(e => e == "test-success" ? "test" : e).ToList(),
                    Weight = annotations.TryGetValue(Hook.WeightAnnotation, out var w) && TryAtoi(w, out var weight) ? weight : 0,
                    DeletePolicies = List(annotations, Hook.DeletePolicyAnnotation),
                    OutputLogPolicies = List(annotations, Hook.OutputLogPolicyAnnotation),
                });
            }
        }

        return new SortedManifests(KindOrder.Sort(hooks, h => h.Kind, order), KindOrder.Sort(manifests, m => m.Kind, order));
    }

    /// <summary>
    /// Helm 4.2's SplitManifests (as of 4.2.4): documents separated by lines starting with <c>---</c>; leading whitespace
    /// of the stream and of each document removed, trailing whitespace kept (Helm 4.2; earlier versions trimmed it, and
    /// 4.2.0–4.2.3 also dropped the whitespace before a separator), blank documents dropped.
    /// </summary>
    public static List<string> Split(string text)
    {
        var docs = new List<string>();
        foreach (var d in Separator().Split(text.TrimStart()))
        {
            if (!string.IsNullOrWhiteSpace(d))
            {
                docs.Add(d.TrimStart());
            }
        }

        return docs;
    }

    private static List<string> List(Dictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var value) ? value.Split(',').Select(v => v.Trim().ToLowerInvariant()).ToList() : [];

    // strconv.Atoi: optional sign and decimal digits only.
    private static bool TryAtoi(string s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static Head ReadHead(string path, string doc)
    {
        JsonNode? node;
        try
        {
            node = KubeYaml.Parse(doc);
        }
        catch (YamlException e)
        {
            throw new RenderException($"YAML parse error on {path}: error converting YAML to JSON: {e.Message}", e);
        }

        if (node is not JsonObject o)
        {
            return node is null ? new Head("", "", null)
                : throw new RenderException($"YAML parse error on {path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {JsonKind(node)} into Go value of type util.SimpleHead");
        }

        var kind = o["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : "";
        string name = "";
        Dictionary<string, string>? annotations = null;
        if (o["metadata"] is JsonObject md)
        {
            name = md["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "";
            if (md["annotations"] is JsonObject a)
            {
                annotations = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in a)
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        annotations[key] = v.GetValue<string>();
                    }
                    else if (value is not null)
                    {
                        throw new RenderException($"YAML parse error on {path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {JsonKind(value)} into Go struct field .metadata.annotations of type string");
                    }
                }
            }
        }

        return new Head(kind, name, annotations);
    }

    private static string JsonKind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "number",
    };

    [GeneratedRegex("(?m)^---[ \t]*")]
    private static partial Regex Separator();

    private sealed record Head(string Kind, string Name, Dictionary<string, string>? Annotations);
}
