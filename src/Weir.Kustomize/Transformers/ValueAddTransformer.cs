using System.Text.Json.Nodes;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>One target of the ValueAddTransformer: which resources, which field, and where in a path the value goes.</summary>
public sealed record ValueAddTarget(Selector? Selector, string FieldPath, int FilePathPosition);

/// <summary>
/// kustomize's built-in ValueAddTransformer: writes a value (by default the kustomization directory's name) into
/// fields, optionally as one segment of a slash-separated path; <c>metadata/namespace</c> sets the namespace.
/// </summary>
public sealed class ValueAddTransformer(string value, IReadOnlyList<ValueAddTarget> targets) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        foreach (var t in targets)
        {
            var selected = t.Selector is null ? resources.Resources.ToList() : t.Selector.Select(resources).ToList();
            foreach (var r in selected)
            {
                if (t.FieldPath == "metadata/namespace")
                {
                    var single = new ResourceMap();
                    single.AppendAll([r]);
                    new NamespaceTransformer(value, []).Transform(single);
                    continue;
                }

                FieldPath.Apply(r.Object, t.FieldPath, true, current =>
                {
                    if (current is JsonObject or JsonArray)
                    {
                        throw new KustomizeException($"ValueAddTransformer: field '{t.FieldPath}' of {r.CurrentId} is not a scalar");
                    }

                    var old = current is JsonValue v ? v.ToString() : "";
                    return JsonValue.Create(t.FilePathPosition > 0 ? InsertPathPart(old, t.FilePathPosition - 1, value) : value);
                });
            }
        }
    }

    // As kustomize's filesys.InsertPathPart: a leading slash stays, empty parts vanish on joining.
    private static string InsertPathPart(string path, int pos, string part)
    {
        if (part.Length == 0)
        {
            return path;
        }

        var parts = PathSplit(path);
        pos = Math.Clamp(pos, 0, parts.Count);
        if (parts.Count > 0 && parts[0].Length == 0 && pos < parts.Count)
        {
            pos++;
        }

        parts.Insert(pos, part);
        var joined = string.Join('/', parts.Skip(parts[0].Length == 0 ? 1 : 0).Where(p => p.Length > 0));
        return parts[0].Length == 0 ? "/" + joined : joined;
    }

    private static List<string> PathSplit(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        var slash = path.LastIndexOf('/');
        var (dir, file) = (path[..(slash + 1)], path[(slash + 1)..]);
        if (dir == "/")
        {
            return file.Length == 0 ? [""] : ["", file];
        }

        dir = dir.EndsWith('/') ? dir[..^1] : dir;
        if (dir.Length == 0)
        {
            return [file];
        }

        var parts = PathSplit(dir);
        parts.Add(file);
        return parts;
    }
}
