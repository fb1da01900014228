using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Apply;

/// <summary>
/// A set of field paths in the FieldsV1 shape: a tree keyed by path elements (<c>f:name</c>, <c>k:{"name":"x"}</c>,
/// <c>v:"a"</c>, <c>i:0</c>) where a node is a member when the path to it is in the set.
/// </summary>
public sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    /// <summary>Whether the path leading to this node is itself in the set.</summary>
    public bool Member { get; private set; }

    public IReadOnlyDictionary<string, FieldSet> Children => _children;

    public void MarkMember() => Member = true;

    public bool IsEmpty => !Member && _children.Count == 0;

    public FieldSet Child(string element)
    {
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }
        return child;
    }

    public void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Child(element);
        }
        node.Member = true;
    }

    public FieldSet? Find(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out node!))
            {
                return null;
            }
        }
        return node;
    }

    public bool Contains(IReadOnlyList<string> path) => Find(path)?.Member == true;

    /// <summary>Whether the path or anything below it is in the set.</summary>
    public bool ContainsPrefix(IReadOnlyList<string> path) => Find(path) is { IsEmpty: false };

    public FieldSet Clone()
    {
        var copy = new FieldSet { Member = Member };
        foreach (var (k, v) in _children)
        {
            copy._children[k] = v.Clone();
        }
        return copy;
    }

    public FieldSet Union(FieldSet other)
    {
        var result = Clone();
        result.AddAll(other);
        return result;
    }

    private void AddAll(FieldSet other)
    {
        Member |= other.Member;
        foreach (var (k, v) in other._children)
        {
            Child(k).AddAll(v);
        }
    }

    public FieldSet Difference(FieldSet other)
    {
        var result = new FieldSet { Member = Member && !other.Member };
        foreach (var (k, v) in _children)
        {
            var child = other._children.TryGetValue(k, out var o) ? v.Difference(o) : v.Clone();
            if (!child.IsEmpty)
            {
                result._children[k] = child;
            }
        }
        return result;
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet { Member = Member && other.Member };
        foreach (var (k, v) in _children)
        {
            if (other._children.TryGetValue(k, out var o))
            {
                var child = v.Intersection(o);
                if (!child.IsEmpty)
                {
                    result._children[k] = child;
                }
            }
        }
        return result;
    }

    /// <summary>The member paths, in the order structured-merge-diff iterates them: a level's members, then its children.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths()
    {
        var prefix = new List<string>();
        var result = new List<IReadOnlyList<string>>();
        Collect(prefix, result);
        return result;
    }

    private void Collect(List<string> prefix, List<IReadOnlyList<string>> result)
    {
        foreach (var (k, v) in _children)
        {
            if (v.Member)
            {
                result.Add([.. prefix, k]);
            }
        }
        foreach (var (k, v) in _children)
        {
            if (v._children.Count > 0)
            {
                prefix.Add(k);
                v.Collect(prefix, result);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    public JsonObject ToFieldsV1()
    {
        var o = new JsonObject();
        if (Member && _children.Count > 0)
        {
            o["."] = new JsonObject();
        }
        foreach (var (k, v) in _children)
        {
            o[k] = v.ToFieldsV1();
        }
        return o;
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var set = new FieldSet();
        if (fields is not null)
        {
            set.Read(fields);
        }
        return set;
    }

    private void Read(JsonObject fields)
    {
        foreach (var (k, v) in fields)
        {
            if (k == ".")
            {
                Member = true;
                continue;
            }
            var child = Child(k);
            if (v is JsonObject o && o.Count > 0)
            {
                child.Read(o);
            }
            else
            {
                child.Member = true;
            }
        }
    }

    /// <summary>A path as structured-merge-diff prints it, e.g. <c>.spec.containers[name="app"].image</c>.</summary>
    public static string Format(IReadOnlyList<string> path)
    {
        var b = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    b.Append('.').Append(body);
                    break;
                case 'k':
                    var keys = JsonNode.Parse(body) as JsonObject ?? [];
                    b.Append('[').Append(string.Join(",", keys.Select(kv => $"{kv.Key}={ValueText(kv.Value)}"))).Append(']');
                    break;
                case 'v':
                    b.Append("[=").Append(ValueText(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    b.Append('[').Append(body).Append(']');
                    break;
            }
        }
        return b.ToString();
    }

    private static string ValueText(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
