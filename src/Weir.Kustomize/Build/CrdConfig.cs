using System.Text.Json.Nodes;
using Weir.Kustomize.Config;

namespace Weir.Kustomize.Build;

/// <summary>
/// <c>crds:</c> files: OpenAPI definitions whose properties carry <c>x-kubernetes-object-ref-kind</c> and
/// <c>x-kubernetes-object-ref-name-key</c> add name references for custom resources.
/// </summary>
internal static class CrdConfig
{
    public static void AddFrom(TransformerConfig config, IEnumerable<JsonObject> docs)
    {
        foreach (var doc in docs)
        {
            var definitions = doc["definitions"] as JsonObject ?? doc;
            foreach (var (name, schema) in definitions)
            {
                if (schema is not JsonObject s)
                {
                    continue;
                }

                var kind = name[(name.LastIndexOf('.') + 1)..];
                Visit(config, kind, s, "");
            }
        }
    }

    private static void Visit(TransformerConfig config, string kind, JsonObject schema, string path)
    {
        if (schema["properties"] is not JsonObject props)
        {
            return;
        }

        foreach (var (field, value) in props)
        {
            if (value is not JsonObject p)
            {
                continue;
            }

            var fieldPath = path.Length == 0 ? field : path + "/" + field;
            if (p["x-kubernetes-object-ref-kind"]?.ToString() is { Length: > 0 } refKind)
            {
                var nameKey = p["x-kubernetes-object-ref-name-key"]?.ToString() ?? "name";
                config.AddBackReference(new NameBackReference("", "", refKind, [new FieldSpec("", "", kind, fieldPath + "/" + nameKey, false)]));
            }

            Visit(config, kind, p, fieldPath);
        }
    }
}
