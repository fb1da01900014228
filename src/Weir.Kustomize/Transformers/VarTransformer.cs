using System.Text;
using System.Text.Json.Nodes;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>A <c>vars:</c> entry: a name bound to a field of one resource.</summary>
public sealed record VarDefinition(string Name, string Group, string Version, string Kind, string ObjName, string ObjNamespace, string FieldPath)
{
    /// <summary>The resource the var was bound to where it was declared (kustomize binds vars per kustomization).</summary>
    public Resource? Bound { get; init; }

    public bool Selects(ResId id) =>
        id.IsSelectedBy(Group, Version, Kind) && id.Name == ObjName
        && (ObjNamespace.Length == 0 || id.Namespace == ObjNamespace || id.EffectiveNamespace == ObjNamespace);

    /// <summary>Binds the var to the one resource it selects among <paramref name="resources"/>.</summary>
    public VarDefinition BindTo(ResourceMap resources)
    {
        var matches = resources.Resources.Where(r => r.AllIds.Any(Selects)).ToList();
        if (matches.Count == 0)
        {
            throw new KustomizeException($"var '{Name}' cannot be mapped to a field in the set of known resources");
        }

        if (matches.Count > 1)
        {
            throw new KustomizeException($"var '{Name}' matches more than one resource: {string.Join(", ", matches.Select(m => m.CurrentId))}");
        }

        return this with { Bound = matches[0] };
    }

    public static VarDefinition FromJson(JsonObject o)
    {
        var objref = o["objref"] as JsonObject ?? [];
        var apiVersion = objref["apiVersion"]?.ToString() ?? "";
        var slash = apiVersion.IndexOf('/');
        return new VarDefinition(
            o["name"]?.ToString() ?? "",
            slash < 0 ? objref["group"]?.ToString() ?? "" : apiVersion[..slash],
            slash < 0 ? apiVersion : apiVersion[(slash + 1)..],
            objref["kind"]?.ToString() ?? "",
            objref["name"]?.ToString() ?? "",
            objref["namespace"]?.ToString() ?? "",
            (o["fieldref"] as JsonObject)?["fieldpath"]?.ToString() ?? "metadata.name");
    }
}

/// <summary>Replaces <c>$(VAR)</c> in the var-reference fields with the values the vars point to.</summary>
public sealed class VarTransformer(IReadOnlyList<VarDefinition> vars, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        if (vars.Count == 0)
        {
            return;
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var v in vars)
        {
            var matches = v.Bound is { } bound && resources.Resources.Contains(bound) ? [bound] : v.BindTo(resources).Bound is { } b ? new List<Resource> { b } : [];

            var path = System.Text.RegularExpressions.Regex.Replace(v.FieldPath, @"\[(\d+)\]", ".$1").Replace("[", ".[");
            var found = FieldPathDotted.Find(matches[0].Object, path.TrimStart('.'), false);
            if (found.Count == 0 || found[0].Value is null)
            {
                throw new KustomizeException($"field specified in var '{v.Name}' ({v.FieldPath}) not found in {matches[0].CurrentId}");
            }

            values[v.Name] = found[0].Value;
        }

        foreach (var r in resources.Resources)
        {
            foreach (var spec in fieldSpecs)
            {
                if (spec.AppliesTo(r.CurrentId))
                {
                    FieldPath.Apply(r.Object, spec.Path, false, node => Expand(node, values));
                }
            }
        }
    }

    private static JsonNode? Expand(JsonNode? node, Dictionary<string, JsonNode?> values)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (s.StartsWith("$(", StringComparison.Ordinal) && s.EndsWith(')') && s.IndexOf(')') == s.Length - 1
                    && values.TryGetValue(s[2..^1], out var whole) && whole is JsonValue wv && !wv.TryGetValue<string>(out _))
                {
                    return whole.DeepClone();
                }

                var expanded = ExpandString(s, values);
                return expanded == s ? node : JsonValue.Create(expanded);
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var e = Expand(a[i], values);
                    if (!ReferenceEquals(e, a[i]))
                    {
                        a[i] = e;
                    }
                }

                return a;
            case JsonObject o:
                foreach (var (k, child) in o.ToList())
                {
                    var e = Expand(child, values);
                    if (!ReferenceEquals(e, child))
                    {
                        o[k] = e;
                    }
                }

                return o;
            default:
                return node;
        }
    }

    /// <summary>Kubernetes-style expansion: <c>$(NAME)</c> replaced when known, <c>$$</c> escapes a dollar.</summary>
    public static string ExpandString(string input, IReadOnlyDictionary<string, JsonNode?> values)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '$' && i + 1 < input.Length)
            {
                if (input[i + 1] == '$')
                {
                    sb.Append('$');
                    i++;
                    continue;
                }

                if (input[i + 1] == '(')
                {
                    var close = input.IndexOf(')', i + 2);
                    if (close > 0)
                    {
                        var name = input[(i + 2)..close];
                        if (values.TryGetValue(name, out var value))
                        {
                            sb.Append(FieldPathDotted.ScalarText(value));
                        }
                        else
                        {
                            sb.Append(input, i, close - i + 1);
                        }

                        i = close;
                        continue;
                    }
                }
            }

            sb.Append(input[i]);
        }

        return sb.ToString();
    }
}
