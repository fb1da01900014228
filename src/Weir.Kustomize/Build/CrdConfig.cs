using System.Text.Json.Nodes;
using Weir.Kustomize.Config;

namespace Weir.Kustomize.Build;

/// <summary>
/// <c>crds:</c> files: OpenAPI definitions (type name → Schema) whose properties carry kustomize's
/// <c>x-kubernetes-*</c> extensions add field specs for custom resources (name references, labels, annotations, prefixes).
/// </summary>
internal static class CrdConfig
{
    public static void AddFrom(TransformerConfig config, IEnumerable<JsonObject> docs)
    {
        foreach (var doc in docs)
        {
            foreach (var (typeName, api) in doc)
            {
                var props = api?["Schema"]?["properties"] as JsonObject;
                if (props is null || !props.ContainsKey("kind") || !props.ContainsKey("apiVersion") || !props.ContainsKey("metadata"))
                {
                    continue;
                }

                var kind = typeName[(typeName.LastIndexOf('.') + 1)..];
                Visit(config, doc, kind, typeName, [], 0);
            }
        }
    }

    private static void Visit(TransformerConfig config, JsonObject all, string kind, string typeName, List<string> path, int depth)
    {
        if (depth > 20 || all[typeName]?["Schema"]?["properties"] is not JsonObject props)
        {
            return;
        }

        foreach (var (propName, value) in props)
        {
            if (value is not JsonObject p)
            {
                continue;
            }

            var fieldPath = path.Append(propName).ToList();
            var joined = string.Join('/', fieldPath);
            if (p.ContainsKey("x-kubernetes-annotation"))
            {
                config.CommonAnnotations.Add(new FieldSpec("", "", kind, joined, true));
            }

            if (p.ContainsKey("x-kubernetes-label-selector"))
            {
                config.CommonLabels.Add(new FieldSpec("", "", kind, joined, true));
            }

            if (p.ContainsKey("x-kubernetes-identity"))
            {
                config.NamePrefix.Add(new FieldSpec("", "", kind, joined, false));
            }

            if (p["x-kubernetes-object-ref-api-version"]?.ToString() is { } version && p["x-kubernetes-object-ref-kind"]?.ToString() is { } refKind)
            {
                var nameKey = p["x-kubernetes-object-ref-name-key"]?.ToString() ?? "name";
                config.AddBackReference(new NameBackReference("", version, refKind, [new FieldSpec("", "", kind, joined + "/" + nameKey, false)]));
            }

            if (p["$ref"]?.ToString() is { } reference)
            {
                Visit(config, all, kind, reference, fieldPath, depth + 1);
            }
        }
    }
}
